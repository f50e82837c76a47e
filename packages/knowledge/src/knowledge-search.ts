import type { CandidateRow, KnowledgeRepository } from './knowledge.repository.js'
import { queryTerms, searchText, termWeight } from './segment.js'
import { VectorIndex, type Embedder } from './vector-index.js'

/** A chunk found for a query, best first; `score` in 0–1. */
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

const candidateLimit = 100

/** Weighted share of the query's terms found among `present`. */
function coverage(terms: string[], present: Set<string>): number {
  let found = 0
  let total = 0
  for (const term of terms) {
    const weight = termWeight(term)
    total += weight
    if (present.has(term)) found += weight
  }
  return total === 0 ? 0 : found / total
}

/** The lexical score of a candidate: how much of the query it covers (an FAQ by its question), closeness by trigrams, full-text rank. */
function lexicalScore(terms: string[], row: Pick<CandidateRow, 'kind' | 'question' | 'search_text' | 'trgm' | 'fts'>): number {
  const all = coverage(terms, new Set(row.search_text.split(' ')))
  const covered =
    row.kind === 'faq' && row.question ? Math.max(coverage(terms, new Set(searchText(row.question).split(' '))), 0.85 * all) : all
  return 0.65 * covered + 0.25 * row.trgm + 0.1 * row.fts
}

/**
 * Hybrid retrieval over a bot's knowledge (docs/knowledge.md): PostgreSQL full text over words
 * segmented here, trigram similarity, and — when an embedding endpoint is configured — cosine
 * similarity of embeddings, blended into one score per hit.
 */
export class KnowledgeSearch {
  private readonly vectors: VectorIndex | undefined

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly embedder?: Embedder,
  ) {
    this.vectors = embedder ? new VectorIndex(repo) : undefined
  }

  async search(botId: string, query: string, k = 5): Promise<KnowledgeHit[]> {
    const terms = queryTerms(query)
    if (terms.length === 0) return []
    const rows = await this.repo.candidates(botId, terms, searchText(query), candidateLimit)
    const scored = new Map<string, KnowledgeHit>()
    for (const row of rows) scored.set(String(row.id), { ...toHit(row), score: lexicalScore(terms, row) })
    if (this.embedder && this.vectors) {
      const [queryVector] = await this.embedder.embed([query])
      if (queryVector) await this.blendVectors(botId, terms, queryVector, scored, k)
    }
    return [...scored.values()].sort((a, b) => b.score - a.score).slice(0, k)
  }

  /** Mixes cosine similarity into the lexical scores, adding chunks only the vectors found. */
  private async blendVectors(
    botId: string,
    terms: string[],
    queryVector: Float32Array,
    scored: Map<string, KnowledgeHit>,
    k: number,
  ): Promise<void> {
    const nearest = await this.vectors!.nearest(botId, queryVector, Math.max(k * 4, 20))
    const missing = nearest.filter((n) => !scored.has(n.id)).map((n) => BigInt(n.id))
    for (const chunk of missing.length > 0 ? await this.repo.chunksById(missing) : []) {
      const row = { kind: chunk.kind, question: chunk.question, search_text: chunk.searchText, trgm: 0, fts: 0 }
      scored.set(String(chunk.id), {
        chunkId: String(chunk.id),
        document: chunk.document.title,
        heading: chunk.heading,
        text: chunk.text,
        kind: chunk.kind === 'faq' ? 'faq' : 'passage',
        question: chunk.question,
        answer: chunk.answer,
        score: lexicalScore(terms, row),
      })
    }
    const cosine = new Map(nearest.map((n) => [n.id, n.similarity]))
    for (const hit of scored.values()) hit.score = 0.6 * hit.score + 0.4 * Math.max(0, cosine.get(hit.chunkId) ?? 0)
  }
}

function toHit(row: CandidateRow): Omit<KnowledgeHit, 'score'> {
  return {
    chunkId: String(row.id),
    document: row.title,
    heading: row.heading,
    text: row.text,
    kind: row.kind === 'faq' ? 'faq' : 'passage',
    question: row.question,
    answer: row.answer,
  }
}
