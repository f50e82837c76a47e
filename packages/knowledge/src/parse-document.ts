import { decodeText } from './decode-text.js'
import { baseName, detectFormat } from './detect-format.js'
import { type DocumentFormat, type ParsedDocument, type ParsedFaq, type ParsedSection } from './parsed-document.js'
import { docxToHtml } from './docx.js'
import { parseFaqCsv } from './faq-csv.js'
import { parseHtml } from './html.js'
import { parseMarkdown } from './markdown.js'
import { parsePdf } from './pdf.js'
import { parsePlainText } from './plain-text.js'

/** An uploaded file. */
export interface UploadedFile {
  filename?: string
  mimeType?: string
  bytes: Buffer
  title?: string
}

/** Text pasted into the panel. */
export interface PastedText {
  title: string
  text: string
}

interface Parsed {
  sections: ParsedSection[]
  faqs?: ParsedFaq[]
  /** A title the document gives itself: its first heading, or an HTML <title>. */
  ownTitle?: string
}

const untitled = 'Untitled'

/**
 * Parses an uploaded file or pasted text (Markdown if it looks like Markdown, else plain text).
 * The title defaults to the document's first heading, then the file name without extension.
 * Throws UnsupportedDocument for a type it cannot read or a corrupt file.
 */
export async function parseDocument(input: UploadedFile | PastedText): Promise<ParsedDocument> {
  if ('text' in input) {
    const format: DocumentFormat = looksLikeMarkdown(input.text) ? 'markdown' : 'text'
    const parsed = format === 'markdown' ? markdown(input.text) : { sections: parsePlainText(input.text) }
    return document(format, input.title.trim() || parsed.ownTitle || untitled, parsed)
  }
  const format = detectFormat(input.filename, input.mimeType)
  const what = input.filename ? `"${input.filename}"` : 'the file'
  const parsed = await parseBytes(format, input.bytes, what)
  return document(format, input.title?.trim() || parsed.ownTitle || baseName(input.filename) || untitled, parsed)
}

async function parseBytes(format: DocumentFormat, bytes: Buffer, what: string): Promise<Parsed> {
  switch (format) {
    case 'markdown':
      return markdown(decodeText(bytes, what))
    case 'text':
      return { sections: parsePlainText(decodeText(bytes, what)) }
    case 'html':
      return html(decodeText(bytes, what))
    case 'pdf':
      return { sections: await parsePdf(bytes, what) }
    case 'docx':
      return html(await docxToHtml(bytes, what))
    case 'faq_csv':
      return { sections: [], faqs: parseFaqCsv(decodeText(bytes, what), what) }
  }
}

function markdown(text: string): Parsed {
  const { sections, firstHeading } = parseMarkdown(text)
  return { sections, ownTitle: firstHeading }
}

function html(text: string): Parsed {
  const { sections, firstHeading, title } = parseHtml(text)
  return { sections, ownTitle: firstHeading ?? title }
}

function document(format: DocumentFormat, title: string, parsed: Parsed): ParsedDocument {
  return { title, format, sections: parsed.sections, faqs: parsed.faqs ?? [] }
}

/** Whether pasted text uses Markdown: headings, fences, tables, links, images, bold, or a list. */
export function looksLikeMarkdown(text: string): boolean {
  if (/^ {0,3}(#{1,6}[ \t]+\S|```|~~~)/m.test(text)) return true
  if (/^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|/m.test(text)) return true
  if (/!?\[[^\]\n]+\]\([^)\s]+\)|\*\*[^*\n]+\*\*/.test(text)) return true
  return (text.match(/^ {0,3}([-*+]|\d+\.)[ \t]+\S/gm)?.length ?? 0) >= 2
}
