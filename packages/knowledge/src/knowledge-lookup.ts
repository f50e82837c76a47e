import type { KnowledgeAnswer, Source } from '@chorus/llm'
import { decideAnswer } from './answer-decision.js'
import { questionParts } from './question-parts.js'
import type { KnowledgeBase } from './knowledge-base.js'
import type { KnowledgeHit } from './knowledge-search.js'
import { maxQueryChars } from './lexical-index.js'

const presenceTtlMs = 5000
// Enough hits to see whether others come close to the best, whatever the bot's topK.
const decisionHits = 5
// A message is searched by its first few parts (and its start, as the index searches it): each
// part costs a search, and an embedding with an embedder.
const maxParts = 5

const toSource = (h: KnowledgeHit): Source => ({ document: h.document, text: h.text, kind: h.kind, answer: h.answer, score: h.score })

/**
 * A bot's knowledge as the prompt preparer asks it (`KnowledgeLookup` in packages/conversation),
 * for the worker and the panel's test chat alike; whether a bot has any is cached briefly.
 */
export function knowledgeLookup(knowledge: KnowledgeBase) {
  const known = new Map<string, { at: number; has: boolean }>()

  /**
   * A question asking several things: the best source of each part that has a clear answer, a
   * different entry each, marked with its part. Fewer than two such parts: none (the question
   * is answered whole).
   */
  async function answerParts(botId: string, query: string, minScore: number): Promise<Source[]> {
    const parts = questionParts(query).slice(0, maxParts)
    if (parts.length < 2) return []
    const answered: Source[] = []
    const seen = new Set<string>()
    for (const part of parts) {
      const decision = decideAnswer(await knowledge.search.search(botId, part, decisionHits), minScore, {
        unknownShare: await knowledge.search.unknownShare(botId, part),
      })
      const best = decision.kind === 'answer' ? decision.sources[0]! : undefined
      if (!best || seen.has(best.chunkId)) continue
      seen.add(best.chunkId)
      answered.push({ ...toSource(best), part: answered.length })
    }
    return answered.length >= 2 ? answered : []
  }

  return {
    async hasKnowledge(botId: string): Promise<boolean> {
      const hit = known.get(botId)
      if (hit && Date.now() - hit.at < presenceTtlMs) return hit.has
      const has = await knowledge.hasKnowledge(botId)
      known.set(botId, { at: Date.now(), has })
      return has
    },

    /** Searches and decides (decideAnswer); `chosen`, the question picked from an ask-back, is answered directly. */
    async answer(botId: string, message: string, options: { topK: number; minScore: number; chosen?: string }): Promise<KnowledgeAnswer> {
      const query = message.slice(0, maxQueryChars)
      const hits = await knowledge.search.search(botId, query, Math.max(options.topK, decisionHits))
      // The entry the user picked: its own question finds it.
      const picked = options.chosen === undefined ? undefined : hits.find((h) => h.question === options.chosen)
      if (picked) return { kind: 'answer', sources: [toSource(picked)] }
      const parts = options.chosen === undefined ? await answerParts(botId, query, options.minScore) : []
      if (parts.length >= 2) return { kind: 'answer', sources: parts }
      const decision = decideAnswer(hits, options.minScore, { unknownShare: await knowledge.search.unknownShare(botId, query) })
      if (decision.kind === 'ask') return { kind: 'ask', questions: decision.options.map((o) => o.question ?? o.heading) }
      if (decision.kind === 'none') return decision
      return { kind: 'answer', sources: decision.sources.slice(0, options.topK).map(toSource) }
    },
  }
}
