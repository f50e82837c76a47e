/**
 * Renders a model's markdown as text WeChat shows well: no markup characters, headings in
 * 【】, bullets as •, links as "text (url)", tables as rows separated by ｜.
 */
export function markdownToWeChat(markdown: string): string {
  const out: string[] = []
  let inFence = false
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence
      continue
    }
    if (inFence) {
      out.push(raw)
      continue
    }
    let line = raw
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue // table separator
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('——————')
      continue
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading) line = `【${heading[1]}】`
    line = line.replace(/^(\s*)[-*+]\s+/, '$1• ')
    line = line.replace(/^\s*>\s?/, '')
    if (/^\s*\|.*\|\s*$/.test(line)) {
      line = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim())
        .join(' ｜ ')
    }
    line = line
      .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_m, alt: string) => `[图片${alt ? `: ${alt}` : ''}]`)
      .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, text: string, url: string) => (text === url ? url : `${text} (${url})`))
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1$2')
      .replace(/(^|[^_\w])_(?!\s)([^_\n]+?)_(?!\w)/g, '$1$2')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
    out.push(line)
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const sentenceEnd = /(?<=[。！？!?；;…]|[.](?=\s))\s*/u

/**
 * Splits a reply into parts of at most `maxChars`, at paragraph boundaries where possible,
 * else at sentence ends, else hard; parts are numbered "(1/3)" when there are several.
 */
export function splitReply(text: string, maxChars: number): string[] {
  const budget = maxChars - 8 // room for the "(n/m)" marker
  // Each piece with what joins it to the one before: a blank line between paragraphs, a space
  // (latin) or nothing (CJK) between sentences of one paragraph.
  const pieces: Array<{ text: string; sep: string }> = []
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.length <= budget) {
      pieces.push({ text: paragraph, sep: '\n\n' })
      continue
    }
    paragraph
      .split(sentenceEnd)
      .filter(Boolean)
      .forEach((sentence, s) => {
        for (let i = 0; i < sentence.length; i += budget) {
          const sep = s === 0 && i === 0 ? '\n\n' : i > 0 ? '' : /[\u3000-\u9fff]$/.test(pieces.at(-1)?.text ?? '') ? '' : ' '
          pieces.push({ text: sentence.slice(i, i + budget), sep })
        }
      })
  }
  const parts: string[] = []
  let current = ''
  for (const piece of pieces) {
    if (current && current.length + piece.sep.length + piece.text.length > budget) {
      parts.push(current)
      current = piece.text
    } else {
      current += (current ? piece.sep : '') + piece.text
    }
  }
  if (current) parts.push(current)
  if (parts.length <= 1) return parts
  return parts.map((part, i) => `${part}\n(${i + 1}/${parts.length})`)
}
