import { type ParsedSection } from './parsed-document.js'
import { tidyParagraph } from './section-builder.js'

/** Plain text as one section whose paragraphs are separated by blank lines. */
export function parsePlainText(text: string): ParsedSection[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n/)
    .map((paragraph) => tidyParagraph(paragraph))
    .filter((paragraph) => paragraph.trim() !== '')
  return paragraphs.length > 0 ? [{ headings: [], text: paragraphs.join('\n\n') }] : []
}
