import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { type ParsedSection, UnsupportedDocument } from './parsed-document.js'
import { tidyParagraph } from './section-builder.js'

interface Item {
  str: string
  x: number
  y: number
  width: number
  size: number
  hasEOL: boolean
}

interface Line {
  text: string
  y: number
  size: number
}

// pdf.js reads the character maps of Chinese, Japanese and Korean fonts, and the metrics of the
// standard fonts, from files it ships.
const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))

/** A PDF's text, one section per page, lines rebuilt from positioned text and paragraphs from the gaps between lines. */
export async function parsePdf(bytes: Uint8Array, what: string): Promise<ParsedSection[]> {
  // Loaded on first use: pdf.js is large and only document uploads need it.
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: `${pdfjsDir}/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjsDir}/standard_fonts/`,
    wasmUrl: `${pdfjsDir}/wasm/`,
  })
  let pdf: Awaited<typeof task.promise>
  try {
    pdf = await task.promise
  } catch (error) {
    await task.destroy()
    const name = error instanceof Error ? error.name : ''
    if (name === 'PasswordException') throw new UnsupportedDocument(`${what} is password-protected; upload it without a password`)
    throw new UnsupportedDocument(`${what} is not a readable PDF (${error instanceof Error ? error.message : String(error)})`)
  }
  try {
    const sections: ParsedSection[] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number)
      const content = await page.getTextContent()
      const items = content.items.flatMap((item) => ('str' in item ? [toItem(item)] : []))
      const text = paragraphs(lines(items))
      if (text) sections.push({ headings: [], text })
      page.cleanup()
    }
    if (sections.length === 0) {
      throw new UnsupportedDocument(`${what} has no text to read (a scanned PDF?); text recognition (OCR) is not supported`)
    }
    return sections
  } finally {
    await pdf.destroy()
  }
}

function toItem(item: { str: string; transform: number[]; width: number; height: number; hasEOL: boolean }): Item {
  const [, , c = 0, d = 0, x = 0, y = 0] = item.transform
  return { str: item.str, x, y, width: item.width, size: Math.hypot(c, d) || item.height || 10, hasEOL: item.hasEOL }
}

/** Text items in reading order joined into lines: a line ends where the text moves to another baseline. */
function lines(items: Item[]): Line[] {
  const found: Line[] = []
  let current: { parts: string; y: number; size: number; end: number } | undefined
  const close = () => {
    const text = current?.parts.replace(/\s+/g, ' ').trim()
    if (current && text) found.push({ text, y: current.y, size: current.size })
    current = undefined
  }
  for (const item of items) {
    if (current && Math.abs(item.y - current.y) > Math.max(current.size, item.size) * 0.5) close()
    if (!current) {
      current = { parts: item.str, y: item.y, size: item.size, end: item.x + item.width }
    } else {
      // A visible gap between two items is a space the PDF did not write out.
      const gap = item.x - current.end
      const spaced = /\s$/.test(current.parts) || /^\s/.test(item.str)
      current.parts += (!spaced && gap > item.size * 0.2 ? ' ' : '') + item.str
      current.end = item.x + item.width
      current.size = Math.max(current.size, item.size)
    }
    if (item.hasEOL) close()
  }
  close()
  return found
}

const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u
const listItem = /^([•·●▪◦‣]|[-–*]\s|\d+[.)]\s|\d+、|[（(]\d+[)）]|[一二三四五六七八九十]+、)/

/**
 * Lines joined into paragraphs: a gap wider than the page's usual line spacing or a change of
 * font size starts a new paragraph; list items keep their own lines; wrapped lines are rejoined.
 */
function paragraphs(found: Line[]): string {
  const spacings = found
    .slice(1)
    .map((line, i) => (found[i]?.y ?? 0) - line.y)
    .filter((d) => d > 0)
  // Line spacing is the most common gap; paragraph gaps are the rarer, wider ones.
  const usual = lowQuantile(spacings)
  let text = ''
  found.forEach((line, i) => {
    const previous = found[i - 1]
    if (!previous) {
      text = line.text
      return
    }
    const spacing = previous.y - line.y
    const newParagraph =
      spacing <= 0 ||
      spacing > Math.max(usual * 1.4, line.size * 1.6) ||
      Math.abs(line.size - previous.size) > Math.min(line.size, previous.size) * 0.15
    if (newParagraph) text += '\n\n'
    else if (listItem.test(line.text)) text += '\n'
    else if (!(cjk.test(previous.text.at(-1) ?? '') || cjk.test(line.text[0] ?? ''))) text += ' '
    text += line.text
  })
  return tidyParagraph(text)
}

function lowQuantile(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length * 0.3)] ?? 0
}
