// A cut is made at the last line break, sentence end or space in the final tenth of a piece, so a
// word or phrase is rarely split between two pieces (and checked in neither).
const boundary = /^[\s\S]*[\s。！？；，!?.;,]/

/**
 * `text` in consecutive pieces of at most `maxChars` UTF-16 units each (never splitting a
 * surrogate pair), which together are the whole text. Short text is one piece.
 */
export function textPieces(text: string, maxChars: number): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > maxChars) {
    const cut = cutBefore(rest, maxChars)
    pieces.push(rest.slice(0, cut))
    rest = rest.slice(cut)
  }
  pieces.push(rest)
  return pieces
}

function cutBefore(text: string, maxChars: number): number {
  const windowStart = maxChars - Math.floor(maxChars / 10)
  const natural = boundary.exec(text.slice(windowStart, maxChars))
  if (natural) return windowStart + natural[0].length
  const last = text.charCodeAt(maxChars - 1)
  const highSurrogate = last >= 0xd800 && last <= 0xdbff
  return highSurrogate && maxChars > 1 ? maxChars - 1 : maxChars
}
