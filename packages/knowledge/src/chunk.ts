import { type ParsedDocument } from './parsed-document.js'

/** A piece of a document small enough to retrieve and quote on its own. */
export interface Chunk {
  ordinal: number
  heading: string
  text: string
  kind: 'passage' | 'faq'
  question?: string
  answer?: string
}

export const defaultMaxChars = 600

// Boundaries from the largest unit to the smallest; each cut falls just after the match.
const boundaries: RegExp[] = [
  /\n[ \t]*\n\s*/g, // paragraphs
  /\n/g, // lines
  /[。！？；]+["'”’」』）)\]]*\s*|[.!?]+["'”’)\]]*(?:\s+|$)/g, // sentences
  /[，、：]+|[,;:](?=\s)\s*/g, // clauses
]
const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' })

/**
 * Splits a document into chunks of at most `maxChars` characters, cutting at paragraph, then line,
 * sentence and clause boundaries, then between words (never inside a Latin word); each FAQ pair is
 * one chunk. Chunks never span two sections, so each keeps its heading path.
 */
export function chunkDocument(doc: ParsedDocument, options: { maxChars?: number } = {}): Chunk[] {
  const maxChars = options.maxChars ?? defaultMaxChars
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, not ${maxChars}`)
  const chunks: Array<Omit<Chunk, 'ordinal'>> = []
  for (const section of doc.sections) {
    const heading = section.headings.join(' > ')
    for (const text of splitText(section.text, maxChars)) chunks.push({ heading, text, kind: 'passage' })
  }
  for (const { question, answer } of doc.faqs) {
    chunks.push({ heading: '', text: `${question}\n${answer}`, kind: 'faq', question, answer })
  }
  return chunks.map((chunk, ordinal) => ({ ordinal, ...chunk }))
}

/** `text` in pieces of at most `maxChars` (trimmed), cut at the largest boundary that makes them fit. */
export function splitText(text: string, maxChars: number): string[] {
  const chunks: string[] = []
  let current = ''
  for (const piece of pieces(text, maxChars, 0)) {
    if ((current + piece).trim().length <= maxChars) {
      current += piece
    } else {
      if (current.trim()) chunks.push(current.trim())
      current = piece
    }
  }
  if (current.trim()) chunks.push(current.trim())
  return chunks
}

/** `text` cut at boundaries of `level`, pieces still too long cut further at the next level. */
function pieces(text: string, maxChars: number, level: number): string[] {
  if (text.trim().length <= maxChars) return [text]
  const boundary = boundaries[level]
  const parts = boundary ? cutAfter(text, boundary) : level === boundaries.length ? words(text) : Array.from(text)
  if (parts.length === 1 && level > boundaries.length) return parts
  return parts.flatMap((part) => pieces(part, maxChars, level + 1))
}

function cutAfter(text: string, boundary: RegExp): string[] {
  const parts: string[] = []
  let start = 0
  for (const match of text.matchAll(boundary)) {
    const end = (match.index ?? 0) + match[0].length
    if (end > start && end < text.length) {
      parts.push(text.slice(start, end))
      start = end
    }
  }
  parts.push(text.slice(start))
  return parts
}

/** Words and the spaces between them; Chinese is cut between dictionary words, not characters. */
function words(text: string): string[] {
  return Array.from(wordSegmenter.segment(text), (s) => s.segment)
}
