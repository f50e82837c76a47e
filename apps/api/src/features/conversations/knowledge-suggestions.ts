import type { KnowledgeHit } from '@chorus/knowledge'
import { leadingSentences } from './leading-sentences.js'

/** A reply taken from the bot's knowledge base, with where it comes from. */
export interface KnowledgeSuggestion {
  text: string
  /** The title of the document (or FAQ sheet) it comes from. */
  document: string
  /** The FAQ entry's question, for an FAQ answer. */
  question: string | null
}

const maxSuggestions = 3
const hitsPerQuestion = 5
const passageChars = 300

/**
 * Suggested replies without a model (docs/handoff.md): the FAQ answers and passages the knowledge
 * base finds for the user's open questions (newest first), scoring at least the bot's
 * `minScore`, best first, each once, at most three. None when nothing is good enough.
 */
export async function knowledgeSuggestions(
  search: (query: string, k: number) => Promise<KnowledgeHit[]>,
  questions: string[],
  minScore: number,
): Promise<KnowledgeSuggestion[]> {
  const best = new Map<string, KnowledgeHit>()
  for (const question of questions) {
    for (const hit of await search(question, hitsPerQuestion)) {
      if (hit.score >= minScore && hit.score > (best.get(hit.chunkId)?.score ?? -1)) best.set(hit.chunkId, hit)
    }
  }
  const suggestions: KnowledgeSuggestion[] = []
  for (const hit of [...best.values()].sort((a, b) => b.score - a.score)) {
    const text = hit.kind === 'faq' && hit.answer ? hit.answer.trim() : leadingSentences(hit.text, passageChars)
    if (!text || suggestions.some((s) => s.text === text)) continue
    suggestions.push({ text, document: hit.document, question: hit.kind === 'faq' ? hit.question : null })
    if (suggestions.length === maxSuggestions) break
  }
  return suggestions
}
