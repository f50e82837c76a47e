import { LexicalIndex, type IndexedChunk } from './lexical-index.js'
import { PerBotCache } from './per-bot-cache.js'
import type { KnowledgeRepository } from './knowledge.repository.js'
import { VectorIndex, type Embedder } from './vector-index.js'

/** A chunk found for a query, best first; `score` in 0–1, comparable with a bot's `knowledge.minScore`. */
export interface KnowledgeHit {
  chunkId: string
  document: string
  heading: string
  text: string
  kind: 'passage' | 'faq'
  question: string | null
  answer: string | null
  score: number
}

// The lexical index's raw score mapped so that the bot settings' default threshold (0.35) falls
// where the evaluation sets (npm run eval) put the line between right and wrong answers (0.2 raw).
const calibration = Math.log(0.35) / Math.log(0.2)

/**
 * Retrieval over a bot's knowledge (docs/knowledge.md): an in-memory lexical index of each bot's
 * chunks (jieba words, BM25F, coverage both ways, closeness of wording), reloaded when its
 * documents change, and — when an embedding endpoint is configured — cosine similarity of
 * embeddings, blended into one score per hit.
 */
export class KnowledgeSearch {
  private readonly vectors: VectorIndex | undefined
  private readonly bots: PerBotCache<LexicalIndex>

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly embedder?: Embedder,
  ) {
    this.vectors = embedder ? new VectorIndex(repo) : undefined
    this.bots = new PerBotCache(
      (botId) => repo.version(botId),
      (botId) => this.load(botId),
    )
  }

  async search(botId: string, query: string, k = 5): Promise<KnowledgeHit[]> {
    const index = await this.bots.get(botId)
    const scored = new Map<string, KnowledgeHit>()
    // More than k lexical matches, so the vectors can reorder them.
    for (const match of index.search(query, this.embedder ? Math.max(k * 4, 20) : k)) {
      scored.set(match.chunk.id, toHit(match.chunk, match.score ** calibration))
    }
    if (this.embedder && this.vectors) {
      const [queryVector] = await this.embedder.embed([query])
      if (queryVector) await this.blendVectors(botId, index, queryVector, scored, k)
    }
    return [...scored.values()].sort((a, b) => b.score - a.score).slice(0, k)
  }

  /** The share of `query` (by weight) made of words the bot's knowledge never uses, 0–1 (LexicalIndex.unknownShare). */
  async unknownShare(botId: string, query: string): Promise<number> {
    return (await this.bots.get(botId)).unknownShare(query)
  }

  /** Drops what is cached of the bot's knowledge (this process changed it): the next search reloads. */
  forget(botId: string): void {
    this.bots.forget(botId)
    this.vectors?.forget(botId)
  }

  /** The bot's lexical index, from its chunks and its own synonyms. */
  private async load(botId: string): Promise<LexicalIndex> {
    const [chunks, synonyms] = await Promise.all([this.repo.chunksOfBot(botId), this.repo.synonymsOfBot(botId)])
    return new LexicalIndex(chunks, { synonyms })
  }

  /** Mixes cosine similarity into the lexical scores, adding chunks only the vectors found. */
  private async blendVectors(
    botId: string,
    index: LexicalIndex,
    queryVector: Float32Array,
    scored: Map<string, KnowledgeHit>,
    k: number,
  ): Promise<void> {
    const nearest = await this.vectors!.nearest(botId, queryVector, Math.max(k * 4, 20))
    for (const { id } of nearest) {
      const chunk = scored.has(id) ? undefined : index.chunk(id)
      if (chunk) scored.set(id, toHit(chunk, 0))
    }
    const cosine = new Map(nearest.map((n) => [n.id, n.similarity]))
    for (const hit of scored.values()) hit.score = 0.6 * hit.score + 0.4 * Math.max(0, cosine.get(hit.chunkId) ?? 0)
  }
}

function toHit(chunk: IndexedChunk, score: number): KnowledgeHit {
  return {
    chunkId: chunk.id,
    document: chunk.document,
    heading: chunk.heading,
    text: chunk.text,
    kind: chunk.kind,
    question: chunk.question,
    answer: chunk.answer,
    score,
  }
}
