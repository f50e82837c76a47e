const sentenceEnds = ['。', '！', '？', '；', '. ', '! ', '? ', '; ']

/**
 * The whole sentences at the start of `text`'s first paragraph that fit in `max` characters, or
 * its first `max` characters and "…" when even the first sentence does not fit.
 */
export function leadingSentences(text: string, max: number): string {
  const paragraph = (text.trim().split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ')
  if (paragraph.length <= max) return paragraph
  // One character past `max`, so that ". " right at the limit still ends a sentence.
  const window = paragraph.slice(0, max + 1)
  const end = Math.max(...sentenceEnds.map((mark) => window.lastIndexOf(mark)))
  return end >= 0 ? paragraph.slice(0, end + 1) : `${paragraph.slice(0, max).trimEnd()}…`
}
