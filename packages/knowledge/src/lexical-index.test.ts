import { decideAnswer } from './answer-decision.js'
import { faqChunk } from './faq-chunk.fixture.js'
import { LexicalIndex, namedTerms } from './lexical-index.js'
import type { KnowledgeHit } from './knowledge-search.js'
import { words } from './segment.js'

const faq = faqChunk

const hotel = new LexicalIndex([
  faq('breakfast-time', '早餐时间是几点到几点？', '早餐在一楼餐厅供应，7:00 到 10:00。'),
  faq('breakfast-price', '早餐多少钱？儿童怎么收费？', '成人 68 元一位，1.2 米以下儿童免费。'),
  faq('parking', '酒店停车收费吗？', '住店客人停车免费，访客每小时 10 元。'),
  faq('pets', '可以带宠物入住吗？', '可以携带 10 公斤以下的宠物，需另付清洁费 100 元。'),
  faq('checkout', '几点前要退房？', '退房时间为中午 12:00，延迟到 14:00 免费。'),
  faq('invoice', '可以开发票吗？', '可以，请在退房时到前台开具电子发票。'),
])
const best = (query: string) => hotel.search(query, 3)[0]?.chunk.id

describe('lexical retrieval over a FAQ', () => {
  it('cuts Chinese with jieba and maps synonyms, in Chinese and English, to one word', () => {
    // 驾驶证 is also cut into 驾驶 for search; its whole word is the group's.
    expect(words('驾驶证')).toContain(words('驾照')[0])
    expect(words('泊车')).toEqual(words('停车'))
    expect(words('parking')).toEqual(words('停车'))
    expect(words('iPhone 15 退款？')).toEqual(['iphone', '15', '退款'])
    expect(words('bags')).toEqual(words('行李'))
    expect(words('落在')).toEqual(words('遗失'))
  })

  it('finds the entry whose question matches, before one whose answer only mentions the words', () => {
    expect(best('早餐几点结束')).toBe('breakfast-time')
    expect(best('小孩吃早饭要钱吗')).toBe('breakfast-price')
  })

  it('finds entries asked in other words, in traditional characters or in English', () => {
    expect(best('车位怎么收费')).toBe('parking')
    expect(best('能带猫吗')).toBe('pets')
    expect(best('發票怎麼開')).toBe('invoice')
    expect(best('what time is checkout')).toBe('checkout')
  })

  it('reads an English question’s pinyin as the Chinese name the knowledge base uses', () => {
    const sights = new LexicalIndex([
      faq('lingyin', '灵隐寺几点开门？', '灵隐寺 7:00 开门，门票 45 元。'),
      faq('leifeng', '雷峰塔门票多少钱？', '雷峰塔门票 40 元。'),
      faq('hours', '客服几点上班？', '客服 8:30 到 21:00 在线。'),
    ])
    expect(sights.search('lingyin temple opening hours', 3)[0]?.chunk.id).toBe('lingyin')
    expect(sights.search('leifeng pagoda ticket', 3)[0]?.chunk.id).toBe('leifeng')
  })

  it('leaves out the words that only set the scene when the knowledge base never uses them', () => {
    const [lateToday] = hotel.search('今天能晚点退房吗', 1)
    const [late] = hotel.search('能晚点退房吗', 1)
    expect(lateToday?.chunk.id).toBe('checkout')
    expect(lateToday?.score).toBeCloseTo(late!.score, 5)
    expect(hotel.unknownShare('明天早上停车收费吗')).toBe(0)
  })

  it('answers where to do something with the entry about doing it, not the address', () => {
    const withAddress = new LexicalIndex([
      faq('breakfast-time', '早餐时间是几点到几点？', '早餐在一楼餐厅供应，7:00 到 10:00。'),
      faq('address', '酒店地址在哪里？', '酒店在湖滨路 1 号。'),
    ])
    expect(withAddress.search('在哪儿吃早饭', 2)[0]?.chunk.id).toBe('breakfast-time')
    expect(withAddress.search('你们在哪里', 2)[0]?.chunk.id).toBe('address')
  })

  it('counts a word of the question that the query writes in two, apart or in another order', () => {
    const rooms = new LexicalIndex([
      faq('extra-bed', '可以加床吗？多少钱？', '可以加床，每晚 150 元，含一份早餐。'),
      faq('room-types', '酒店有哪些房型？', '有大床房、双床房和家庭房，都可以看到湖景。'),
    ])
    expect(rooms.search('双床房能加个床吗', 2)[0]?.chunk.id).toBe('extra-bed')
  })

  it('does not count the pieces the segmenter also cuts out of a word as words of the question', () => {
    // 开发票 is also cut into 开发 and 发票: only 发票 is meant, and the query has it.
    const invoices = new LexicalIndex([
      faq('invoice', '可以开发票吗？怎么申请？', '可以，付款后在订单页申请电子发票。'),
      faq('vat-invoice', '可以开增值税专用发票吗？发票内容是什么？', '可以开专票，内容为旅游服务费。'),
    ])
    expect(invoices.search('发票怎么开', 2)[0]?.chunk.id).toBe('invoice')
  })

  it('scores a question about something the FAQ never mentions low, whatever it shares', () => {
    const [known] = hotel.search('酒店停车收费吗', 1)
    const [unknown] = hotel.search('酒店有KTV吗', 1)
    expect(known!.score).toBeGreaterThan(0.6)
    expect(unknown?.score ?? 0).toBeLessThan(known!.score / 2)
    expect(hotel.unknownWords('酒店有KTV吗')).toEqual(['ktv'])
  })

  it('finds nothing for a question with no word in common', () => {
    expect(hotel.search('西湖音乐喷泉', 3)).toEqual([])
  })
})

const hit = (question: string, score: number, kind: 'faq' | 'passage' = 'faq'): KnowledgeHit => ({
  chunkId: question,
  document: 'FAQ',
  heading: '',
  text: question,
  kind,
  question: kind === 'faq' ? question : null,
  answer: kind === 'faq' ? 'answer' : null,
  score,
})

describe('deciding whether to answer, ask back or say nothing was found', () => {
  it('answers when the best entry clears the threshold well ahead of the next', () => {
    const decision = decideAnswer([hit('A', 0.8), hit('B', 0.5), hit('C', 0.2)], 0.35)
    expect(decision).toEqual({ kind: 'answer', sources: [hit('A', 0.8), hit('B', 0.5)] })
  })

  it('asks back between entries that are about as likely', () => {
    const decision = decideAnswer([hit('A', 0.6), hit('B', 0.57), hit('C', 0.55), hit('D', 0.54), hit('E', 0.3)], 0.35)
    expect(decision).toEqual({ kind: 'ask', options: [hit('A', 0.6), hit('B', 0.57), hit('C', 0.55)] })
  })

  it('says nothing was found below the threshold, rather than answer with a guess', () => {
    expect(decideAnswer([hit('A', 0.3), hit('B', 0.27)], 0.35)).toEqual({ kind: 'none' })
    expect(decideAnswer([hit('A', 0.2), hit('B', 0.05)], 0.35)).toEqual({ kind: 'none' })
    expect(decideAnswer([], 0.35)).toEqual({ kind: 'none' })
  })

  it('never offers passages as choices', () => {
    const decision = decideAnswer([hit('A', 0.6, 'passage'), hit('B', 0.58, 'passage')], 0.35)
    expect(decision.kind).toBe('answer')
  })
})

describe('how much of a query the knowledge base has no word for', () => {
  it('is none when every word is known, and most of it when the thing asked about is never mentioned', () => {
    expect(hotel.unknownShare('早餐几点')).toBe(0)
    expect(hotel.unknownShare('有KTV吗')).toBe(1)
    expect(hotel.unknownShare('停车场有KTV吗')).toBeGreaterThan(0.3)
  })
})

describe('a knowledge base’s own names', () => {
  it('are taken from quotes and title marks, and cut whole from then on', () => {
    expect(namedTerms('在公众号“湖畔雅居酒店”底部菜单，或看《入住须知》')).toEqual(['湖畔雅居酒店', '入住须知'])
    const index = new LexicalIndex([faq('menu', '怎么预订？', '在公众号“湖畔雅居酒店”底部菜单点击“客房预订”。')])
    expect(words('湖畔雅居酒店在哪')).toContain('湖畔雅居酒店')
    expect(index.search('湖畔雅居酒店怎么订', 1)[0]?.chunk.id).toBe('menu')
  })
})
