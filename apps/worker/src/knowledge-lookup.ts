import type { KnowledgeLookup } from '@chorus/conversation'
import type { KnowledgeBase } from '@chorus/knowledge'

const presenceTtlMs = 5000

/** The knowledge base as the prompt preparer asks it; whether a bot has any is cached briefly. */
export function knowledgeLookup(knowledge: KnowledgeBase): KnowledgeLookup {
  const known = new Map<string, { at: number; has: boolean }>()
  return {
    async hasKnowledge(botId) {
      const hit = known.get(botId)
      if (hit && Date.now() - hit.at < presenceTtlMs) return hit.has
      const has = await knowledge.hasKnowledge(botId)
      known.set(botId, { at: Date.now(), has })
      return has
    },
    async search(botId, query, k) {
      const hits = await knowledge.search.search(botId, query, k)
      return hits.map((h) => ({ document: h.document, text: h.text, kind: h.kind, answer: h.answer, score: h.score }))
    },
  }
}
