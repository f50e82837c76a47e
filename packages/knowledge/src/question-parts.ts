import { queryWords } from './segment.js'

// A message that asks two things at once ("早餐几点结束？停车怎么收费", "what time is breakfast and
// is the pool free"): its parts, each searched on its own so that each gets its answer.

// Where one question ends and the next may start: sentence marks, commas, a space between Chinese
// words, and the words that join a second question on.
const boundary =
  /[？?！!。；;\n]+|[，,、]+|(?<=\p{Script=Han})\s+(?=\p{Script=Han})|\s*(?:另外|还有|以及|顺便问一下|顺便问下|顺便)\s*|\s+(?:and also|and|also)\s+/iu

// What makes a piece a question: a question particle or word, or an English question's first word.
const asking =
  /[吗呢？?]|几|多少|什么|怎么|怎样|如何|哪|能否|可否|是否|有没有|能不能|可不可以|要不要|会不会|行不行|^(?:what|when|where|which|how|who|why|is|are|can|could|do|does|will|may)\b/iu

/**
 * The parts of `text` that could each be a question, in order. A piece that asks nothing
 * ("我朋友是外国人") is context for the next; one with fewer than two meaningful words ("要收费吗",
 * "改日期呢") follows on from the one before. Either stays joined to its neighbour.
 */
export function questionParts(text: string): string[] {
  const parts: string[] = []
  let context = ''
  for (const piece of text.split(boundary).map((part) => part.trim())) {
    if (!/[\p{L}]/u.test(piece)) continue
    const part = context ? `${context} ${piece}` : piece
    if (!asking.test(piece)) context = part
    else if (parts.length > 0 && queryWords(piece).length < 2) {
      parts[parts.length - 1] += ` ${part}`
      context = ''
    } else {
      parts.push(part)
      context = ''
    }
  }
  // Context after the last question belongs to it.
  if (context && parts.length > 0) parts[parts.length - 1] += ` ${context}`
  else if (context) parts.push(context)
  return parts
}
