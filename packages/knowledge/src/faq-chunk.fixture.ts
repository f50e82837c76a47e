import type { IndexedChunk } from './lexical-index.js'

/** An FAQ entry as the lexical index reads it, for tests: its question, answer and similar questions. */
export function faqChunk(id: string, question: string, answer: string, similar?: string[]): IndexedChunk {
  return {
    id,
    document: 'FAQ',
    kind: 'faq',
    heading: '',
    text: `${question}\n${answer}`,
    question,
    answer,
    ...(similar ? { similar } : {}),
  }
}
