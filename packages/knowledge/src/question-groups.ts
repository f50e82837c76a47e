import { characterPairs, dice } from './character-pairs.js'
import { queryWords } from './segment.js'

/** A question the bot could not answer, as the panel lists it. */
export interface UnansweredQuestion {
  text: string
  at: Date
  outcome: 'nothing_found' | 'asked_back'
}

/** Questions asked alike, counted: the most recent wording first. */
export interface QuestionGroup {
  question: string
  count: number
  examples: string[]
  lastAt: Date
  outcome: UnansweredQuestion['outcome']
}

// Character-pair overlap (Dice) at which two questions count as one.
const sameQuestion = 0.6
const maxExamples = 5

/** A question's meaningful words (synonyms as one word, particles and question words left out), as character pairs. */
function pairsOf(text: string): Set<string> {
  const meaningful = queryWords(text).join('')
  return characterPairs(meaningful || text)
}

/**
 * Groups questions asked alike (their meaningful words' character pairs overlap by at least 0.6,
 * Dice), greedily from the most recent: each joins the first group whose latest wording is that
 * close. Most frequent first (then most recent), at most `limit` groups.
 */
export function groupQuestions(questions: UnansweredQuestion[], limit = 50): QuestionGroup[] {
  const recentFirst = [...questions].sort((a, b) => b.at.getTime() - a.at.getTime())
  const groups: { pairs: Set<string>; group: QuestionGroup }[] = []
  for (const q of recentFirst) {
    const text = q.text.trim()
    if (!text) continue
    const pairs = pairsOf(text)
    const found = groups.find((g) => dice(g.pairs, pairs) >= sameQuestion)
    if (!found) {
      groups.push({ pairs, group: { question: text, count: 1, examples: [text], lastAt: q.at, outcome: q.outcome } })
      continue
    }
    found.group.count++
    if (found.group.examples.length < maxExamples && !found.group.examples.includes(text)) found.group.examples.push(text)
  }
  return groups
    .map((g) => g.group)
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime())
    .slice(0, limit)
}
