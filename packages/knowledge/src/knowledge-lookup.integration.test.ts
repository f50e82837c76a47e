import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
import { evalSets } from './demo.js'
import { KnowledgeBase } from './knowledge-base.js'
import { knowledgeLookup } from './knowledge-lookup.js'
import { KnowledgeRepository } from './knowledge.repository.js'

let database: TestDatabase
let knowledge: KnowledgeBase
const bots = new Map<string, string>()

beforeAll(async () => {
  database = await createTestDatabase()
  knowledge = new KnowledgeBase(new KnowledgeRepository(database.db))
  for (const set of evalSets().filter((s) => !s.heldOut)) {
    const bot = await database.db.bot.create({ data: { name: set.name } })
    await knowledge.addDocument(bot.id, { filename: set.filename, bytes: set.csv, title: set.title })
    bots.set(set.name, bot.id)
  }
})

afterAll(async () => {
  await database?.drop()
})

const decide = (set: string, query: string) => knowledgeLookup(knowledge).answer(bots.get(set)!, query, { topK: 3, minScore: 0.35 })

describe('the knowledge lookup on the evaluation FAQs', () => {
  // Questions a reviewer wrote against the scene words, the synonym groups and the pinyin
  // reading: each resembles an entry in a word or two, and neither FAQ answers it.
  it.each([
    ['travel', '圣诞节有特价团吗'],
    ['travel', '暑假有学生优惠吗'],
    ['travel', '凌晨的团有吗'],
    ['travel', '首次参团送礼品吗'],
    ['travel', 'Can I change the guide?'],
    ['travel', '怎么改密码'],
    ['travel', 'Is there a ship to the island?'],
    ['travel', 'women'],
    ['hotel', '春节期间酒店营业吗'],
    ['hotel', '凌晨三点能入住吗'],
    ['hotel', '必须本人到场吗'],
    ['hotel', 'Can I change rooms?'],
    ['hotel', 'Where can I change money?'],
    ['hotel', 'Is there a convenience store nearby?'],
    ['hotel', 'Are there any women staff at the front desk?'],
    ['hotel', '有人陪同吗'],
  ])('says it found nothing for the %s FAQ’s "%s"', async (set, query) => {
    expect(await decide(set, query)).toEqual({ kind: 'none' })
  })

  it('answers a place written in pinyin, a question set tomorrow and where to do something', async () => {
    const first = async (set: string, query: string) => {
      const decision = await decide(set, query)
      return decision.kind === 'answer' ? decision.sources[0]!.text.split('\n')[0] : decision.kind
    }
    expect(await first('travel', 'lingyin temple opening hours')).toContain('灵隐寺几点开门？')
    expect(await first('hotel', '明天能晚点退房吗')).toContain('可以延迟退房吗？')
    // Where to have breakfast: the breakfast entries (its hours say where), not the hotel's address.
    const breakfast = await decide('hotel', '在哪儿吃早饭')
    expect(breakfast).toMatchObject({ kind: 'ask', questions: expect.arrayContaining(['早餐时间是几点到几点？']) })
    expect(breakfast).not.toMatchObject({ questions: expect.arrayContaining(['酒店地址在哪里？怎么过去？']) })
  })
})
