import { LlamaCppEmbedder } from '@chorus/llm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'
import { KnowledgeBase } from './knowledge-base.js'
import { KnowledgeRepository } from './knowledge.repository.js'
import { decodeVector, type Embedder } from './vector-index.js'
import { testModelPath } from '../../../test/support/test-model.js'

// A tiny story model, not an embedding model: its vectors carry no meaning, so this checks the
// plumbing (a vector per chunk stored, the question embedded and ranked by them), not relevance.
const modelPath = testModelPath()

const guide =
  '# 指南\n\n## 游船\n画舫每天 8:00 开，最后一班 17:00。\n\n## 灵隐寺\n灵隐寺 7:00 开门，门票 30 元。\n\n## 龙井\n采茶季是 4 月。'
// Shares no word with the guide: whatever is found, the vectors found it.
const question = 'which vessel sets off earliest'

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  return dot / Math.sqrt(na * nb)
}

let database: TestDatabase
let embedder: LlamaCppEmbedder

beforeAll(async () => {
  embedder = new LlamaCppEmbedder({ modelPath, contextSize: 128, threads: 1 })
  database = await createTestDatabase()
})

afterAll(async () => {
  await embedder?.close()
  await database?.drop()
})

describe('knowledge embedded by a local GGUF model', () => {
  it('stores a vector per chunk when a document is added, and ranks by them when a question is searched', async () => {
    const bot = await database.db.bot.create({ data: { name: 'local-embeddings' } })
    const embedded: string[] = []
    const counting: Embedder = {
      embed: (texts) => {
        embedded.push(...texts)
        return embedder.embed(texts)
      },
    }
    const knowledge = new KnowledgeBase(new KnowledgeRepository(database.db), counting)

    const added = await knowledge.addDocument(bot.id, { title: 'guide', text: guide })

    const stored = await database.db.knowledgeChunk.findMany({ where: { botId: bot.id } })
    const [dims] = (await embedder.embed(['x'])).map((v) => v.length)
    expect(stored).toHaveLength(added.chunks)
    expect(embedded).toHaveLength(added.chunks)
    for (const chunk of stored) expect(chunk.embedding?.length).toBe(dims! * 4)

    const hits = await knowledge.search.search(bot.id, question, 3)

    expect(embedded.at(-1)).toBe(question)
    const [asked] = await embedder.embed([question])
    const expected = stored
      .map((chunk) => ({ id: String(chunk.id), similarity: cosine(asked!, decodeVector(chunk.embedding!)) }))
      .sort((a, b) => b.similarity - a.similarity)
    expect(hits.length).toBeGreaterThan(0)
    expect(hits[0]!.chunkId).toBe(expected[0]!.id)
    expect(hits[0]!.score).toBeCloseTo(0.4 * Math.max(0, expected[0]!.similarity), 5)
    expect(await new KnowledgeBase(new KnowledgeRepository(database.db)).search.search(bot.id, question, 3)).toEqual([])
  })
})
