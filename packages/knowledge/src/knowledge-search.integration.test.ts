import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
import { KnowledgeBase } from './knowledge-base.js'
import { KnowledgeRepository } from './knowledge.repository.js'
import type { Embedder } from './vector-index.js'

// A stand-in embedding model for the test: texts about boats and about temples point in two
// different directions, whatever language they are written in.
const topics = [/boat|vessel|船/i, /temple|寺/i, /tea|茶/i]
const topicEmbedder: Embedder & { calls: number } = {
  calls: 0,
  async embed(texts) {
    this.calls++
    return texts.map((text) => Float32Array.from(topics.map((topic) => (topic.test(text) ? 1 : 0.01))))
  },
}

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})

afterAll(async () => {
  await database?.drop()
})

describe('hybrid retrieval with embeddings', () => {
  it('finds by meaning what shares no word with the question, and ranks it first', async () => {
    const bot = await database.db.bot.create({ data: { name: 'embeddings' } })
    const knowledge = new KnowledgeBase(new KnowledgeRepository(database.db), topicEmbedder)
    await knowledge.addDocument(bot.id, {
      title: 'guide',
      text: '# 指南\n\n## 游船\n画舫每天 8:00 开，最后一班 17:00。\n\n## 灵隐寺\n灵隐寺 7:00 开门，门票 30 元。\n\n## 龙井\n采茶季是 4 月。',
    })
    const stored = await database.db.knowledgeChunk.findMany({ where: { botId: bot.id } })
    expect(stored.every((c) => c.embedding?.length === 3 * 4)).toBe(true)

    // English question, Chinese documents: no shared word; only the vectors connect them.
    const hits = await knowledge.search.search(bot.id, 'which vessel sets off earliest', 3)
    expect(hits[0]!.text).toContain('画舫')
    expect(hits[0]!.score).toBeGreaterThan(0.35)
    expect(hits.map((h) => h.heading)).not.toContain(undefined)

    const lexicalOnly = new KnowledgeBase(new KnowledgeRepository(database.db))
    expect(await lexicalOnly.search.search(bot.id, 'which vessel sets off earliest', 3)).toEqual([])
  })
})
