import type { KnowledgeHit } from './knowledge-search.js'

/** What to do with a question, given what retrieval found. */
export type KnowledgeDecision =
  /** Answer from these sources (best first, every one at or above the bot's threshold, or the one clear leader). */
  | { kind: 'answer'; sources: KnowledgeHit[] }
  /** Unsure between a few FAQ entries: ask which one was meant ("您是想问：1. … 2. …"). */
  | { kind: 'ask'; options: KnowledgeHit[] }
  /** Nothing close enough: say so rather than answer with the wrong entry. */
  | { kind: 'none' }

/** What else the decision weighs besides the hits' scores. */
export interface DecisionSignals {
  /** The share of the query's weight made of words the knowledge base never uses (0–1). */
  unknownShare?: number
}

/** Hits within this share of the best one's score are too close to choose between. */
export const closeShare = 0.9
/** Below the threshold, down to this share of it, the bot may still answer a clear leader or ask back. */
export const askShare = 0.8
/** Below the threshold, the best hit is answered only when the runner-up scores at most this share of it. */
export const leadShare = 0.8
/** A query with more of its weight in words the knowledge base never uses asks about something else. */
export const maxUnknownShare = 0.5
const maxOptions = 3

/**
 * The calibrated decision (docs/knowledge.md): answer when the best hit clears `minScore` and no
 * other FAQ entry comes close, or, just under it, when it leads the runner-up clearly; ask back
 * when two or three entries are about as likely; otherwise none. A query much of which the
 * knowledge base has no word for is neither asked back about nor answered under the threshold:
 * its matching words are likely incidental ("招聘导游" is not about tipping the guide).
 */
export function decideAnswer(hits: KnowledgeHit[], minScore: number, signals: DecisionSignals = {}): KnowledgeDecision {
  const best = hits[0]
  const floor = minScore * askShare
  if (!best || best.score < floor) return { kind: 'none' }
  const familiar = (signals.unknownShare ?? 0) <= maxUnknownShare
  const sources = hits.filter((h) => h.score >= minScore)
  // Only FAQ entries can be offered as choices: a question to pick, not a passage.
  const close = distinctQuestions(hits.filter((h) => h.kind === 'faq' && h.score >= Math.max(best.score * closeShare, floor)))
  if (best.kind === 'faq' && close.length >= 2) return familiar ? { kind: 'ask', options: close.slice(0, maxOptions) } : { kind: 'none' }
  const runnerUp = distinctQuestions(hits)[1]?.score ?? 0
  const leads = runnerUp <= best.score * leadShare
  // An unfamiliar query is answered only by a clear leader above the threshold; a familiar one
  // also by a clear leader just under it.
  if (sources.length > 0 && (familiar || leads)) return { kind: 'answer', sources }
  if (familiar && leads) return { kind: 'answer', sources: [best] }
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
