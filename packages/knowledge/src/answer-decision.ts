import type { KnowledgeHit } from './knowledge-search.js'

/** What to do with a question, given what retrieval found. */
export type KnowledgeDecision =
  /** Answer from these sources (best first, every one at or above the bot's threshold). */
  | { kind: 'answer'; sources: KnowledgeHit[] }
  /** Unsure between a few FAQ entries: ask which one was meant ("您是想问：1. … 2. …"). */
  | { kind: 'ask'; options: KnowledgeHit[] }
  /** Nothing close enough: say so rather than answer with the wrong entry. */
  | { kind: 'none' }

/** Hits within this share of the best one's score are too close to choose between. */
export const closeShare = 0.9
/** Below the threshold, down to this share of it, the bot asks back instead of giving up. */
export const askShare = 0.8
const maxOptions = 3

/**
 * The calibrated decision (docs/knowledge.md): answer when the best hit clears `minScore` and no
 * other FAQ entry comes close; ask back when two or three entries are about as likely, or the
 * best is just under the threshold; otherwise none.
 */
export function decideAnswer(hits: KnowledgeHit[], minScore: number): KnowledgeDecision {
  const best = hits[0]
  if (!best || best.score < minScore * askShare) return { kind: 'none' }
  const sources = hits.filter((h) => h.score >= minScore)
  // Only FAQ entries can be offered as choices: a question to pick, not a passage.
  const close = distinctQuestions(hits.filter((h) => h.kind === 'faq' && h.score >= Math.max(best.score * closeShare, minScore * askShare)))
  if (best.kind === 'faq' && close.length >= 2) return { kind: 'ask', options: close.slice(0, maxOptions) }
  if (sources.length > 0) return { kind: 'answer', sources }
  return { kind: 'none' }
}

/** One hit per FAQ question (the same entry may be in two documents). */
function distinctQuestions(hits: KnowledgeHit[]): KnowledgeHit[] {
  const seen = new Set<string>()
  return hits.filter((h) => {
    const key = h.question ?? h.chunkId
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
