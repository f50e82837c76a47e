import { faqChunk } from './faq-chunk.fixture.js'
import { LexicalIndex } from './lexical-index.js'
import { groupQuestions, type UnansweredQuestion } from './question-groups.js'

const faq = faqChunk

const entries = [
  faq('checkout', '几点前要退房？', '退房时间为中午 12:00，延迟到 14:00 免费。'),
  faq('parking', '酒店停车收费吗？', '住店客人停车免费，访客每小时 10 元。'),
  faq('invoice', '可以开发票吗？', '可以，请在退房时到前台开具电子发票。'),
  faq('shoes', '有擦鞋服务吗？', '每层电梯旁有自助擦鞋机，免费使用。'),
]

const asked = (text: string, minutesAgo: number, outcome: UnansweredQuestion['outcome'] = 'nothing_found'): UnansweredQuestion => ({
  text,
  at: new Date(Date.UTC(2026, 11, 7, 12) - minutesAgo * 60_000),
  outcome,
})

describe('grouping the questions a bot could not answer', () => {
  it('counts questions asked in other words as one group, the most recent wording first', () => {
    const groups = groupQuestions([
      asked('西湖边能放无人机吗', 30),
      asked('西湖边可以放无人机吗？', 10),
      asked('你们卖茶叶吗', 20, 'asked_back'),
      asked('西湖边能放无人机吗', 5),
    ])
    expect(groups).toEqual([
      {
        question: '西湖边能放无人机吗',
        count: 3,
        examples: ['西湖边能放无人机吗', '西湖边可以放无人机吗？'],
        lastAt: new Date(Date.UTC(2026, 11, 7, 12) - 5 * 60_000),
        outcome: 'nothing_found',
      },
      { question: '你们卖茶叶吗', count: 1, examples: ['你们卖茶叶吗'], lastAt: expect.any(Date), outcome: 'asked_back' },
    ])
  })

  it('keeps different questions apart, orders by count then recency, and caps groups and examples', () => {
    const many = Array.from({ length: 7 }, (_, i) => asked(`酒店有游泳池吗${'？'.repeat(i)}${i}`, 100 + i))
    const groups = groupQuestions([asked('能带狗吗', 1), asked('可以开发票吗', 2), asked('能带狗吗', 3), ...many], 2)
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['酒店有游泳池吗0', 7],
      ['能带狗吗', 2],
    ])
    expect(groups[0]!.examples).toHaveLength(5)
  })

  it('leaves out empty messages and returns nothing for none', () => {
    expect(groupQuestions([])).toEqual([])
    expect(groupQuestions([asked('  ', 1)])).toEqual([])
  })
})

describe('learning in retrieval', () => {
  const question = '睡个懒觉可以吗'

  it('finds an FAQ entry by a similar question attached to it, with a high score', () => {
    const before = new LexicalIndex(entries).search(question, 3)[0]
    const learned = new LexicalIndex([
      faq('checkout', '几点前要退房？', '退房时间为中午 12:00，延迟到 14:00 免费。', [question]),
      ...entries.slice(1),
    ])
    const after = learned.search(question, 3)[0]!
    expect(after.chunk.id).toBe('checkout')
    expect(after.score).toBeGreaterThan(0.9)
    expect(after.closeness).toBe(1)
    expect(after.titleCoverage).toBe(1)
    expect(before === undefined || before.score < 0.5).toBe(true)
    // The entry's own question still finds it as well as before.
    expect(learned.search('几点前要退房', 1)[0]!.chunk.id).toBe('checkout')
  })

  it('applies a bot’s own synonyms to the index and the queries', () => {
    const query = '有没有皮鞋护理'
    const plain = new LexicalIndex(entries).search(query, 1)[0]
    const withSynonyms = new LexicalIndex(entries, { synonyms: [['擦鞋', '皮鞋护理', '鞋子保养']] })
    const found = withSynonyms.search(query, 1)[0]!
    expect(found.chunk.id).toBe('shoes')
    expect(found.score).toBeGreaterThan(plain?.chunk.id === 'shoes' ? plain.score : 0)
    expect(withSynonyms.search('鞋子保养', 1)[0]!.chunk.id).toBe('shoes')
    expect(withSynonyms.unknownWords(query)).toEqual([])
  })
})
