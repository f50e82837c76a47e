import type { KnowledgeRepository } from './knowledge.repository.js'
import { PerBotCache } from './per-bot-cache.js'

/** Turns texts into vectors (an OpenAI-compatible /v1/embeddings endpoint). */
export interface Embedder {
  embed(texts: string[]): Promise<Float32Array[]>
}

interface BotVectors {
  ids: string[]
  dims: number
  /** Unit-length vectors, one after another. */
  matrix: Float32Array
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0
  for (const x of vector) norm += x * x
  norm = Math.sqrt(norm) || 1
  return vector.map((x) => x / norm)
}

/** A stored embedding (float32, little-endian) as a vector. */
export function decodeVector(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes)
  return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4)
}

export function encodeVector(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength))
}

/**
 * Exact nearest-neighbour search over one bot's chunk vectors, held in memory as one contiguous
 * matrix of unit vectors (pgvector is not available here; docs/knowledge.md explains the choice).
 * A knowledge base of 100,000 chunks of 768 dimensions is 300 MB and one scan of ~77 M
 * multiply-adds, tens of milliseconds; each bot is its own index, reloaded when its documents change.
 */
export class VectorIndex {
  private readonly bots: PerBotCache<BotVectors>

  constructor(private readonly repo: Pick<KnowledgeRepository, 'embeddings' | 'version'>) {
    this.bots = new PerBotCache(
      (botId) => repo.version(botId),
      (botId) => this.load(botId),
    )
  }

  async nearest(botId: string, query: Float32Array, k: number): Promise<Array<{ id: string; similarity: number }>> {
    const index = await this.bots.get(botId)
    if (index.ids.length === 0 || index.dims !== query.length) return []
    const q = normalise(query)
    const scores: Array<{ id: string; similarity: number }> = []
    for (let row = 0; row < index.ids.length; row++) {
      let dot = 0
      const offset = row * index.dims
      for (let i = 0; i < index.dims; i++) dot += index.matrix[offset + i]! * q[i]!
      scores.push({ id: index.ids[row]!, similarity: dot })
    }
    return scores.sort((a, b) => b.similarity - a.similarity).slice(0, k)
  }

  forget(botId: string): void {
    this.bots.forget(botId)
  }

  /** The bot's vectors as one matrix of unit vectors. */
  private async load(botId: string): Promise<BotVectors> {
    const rows = await this.repo.embeddings(botId)
    const vectors = rows.map((r) => normalise(decodeVector(r.embedding!)))
    const dims = vectors[0]?.length ?? 0
    const usable = vectors.map((v, i) => ({ v, id: String(rows[i]!.id) })).filter((x) => x.v.length === dims)
    const matrix = new Float32Array(usable.length * dims)
    usable.forEach((x, row) => matrix.set(x.v, row * dims))
    return { ids: usable.map((x) => x.id), dims, matrix }
  }
}
