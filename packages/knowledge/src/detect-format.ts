import { type DocumentFormat, UnsupportedDocument } from './parsed-document.js'

const byExtension: Record<string, DocumentFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'faq_csv',
}

const byMimeType: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/csv': 'faq_csv',
  'application/csv': 'faq_csv',
  'text/comma-separated-values': 'faq_csv',
}

// Formats people often try, with what to do instead.
const advice: Record<string, string> = {
  doc: 'Word 97–2003 (.doc) files are not supported; save the document as .docx',
  wps: 'WPS (.wps) files are not supported; save the document as .docx',
  xls: 'spreadsheets are not supported; save the FAQ sheet as CSV (UTF-8)',
  xlsx: 'spreadsheets are not supported; save the FAQ sheet as CSV (UTF-8)',
  ppt: 'presentations are not supported; export the slides as PDF',
  pptx: 'presentations are not supported; export the slides as PDF',
}

/** The format of an upload from its file name (preferred) or MIME type; throws UnsupportedDocument for anything else. */
export function detectFormat(filename: string | undefined, mimeType: string | undefined): DocumentFormat {
  const extension = extensionOf(filename)
  if (extension !== undefined) {
    const format = byExtension[extension]
    if (format) return format
    const hint = advice[extension]
    if (hint) throw new UnsupportedDocument(`${filename}: ${hint}`)
  }
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase()
  const format = mime ? byMimeType[mime] : undefined
  if (format) return format
  const what = [filename && `"${filename}"`, mime && `(${mime})`].filter(Boolean).join(' ') || 'a file without name or type'
  throw new UnsupportedDocument(`unsupported document type: ${what}; upload Markdown, plain text, HTML, PDF, Word (.docx) or a FAQ CSV`)
}

/** The file name's extension, lowercased, without the dot. */
export function extensionOf(filename: string | undefined): string | undefined {
  const match = /\.([^./\\]+)$/.exec(filename?.trim() ?? '')
  return match?.[1]?.toLowerCase()
}

/** The file name without folders or extension, to title a document that names itself nowhere else. */
export function baseName(filename: string | undefined): string | undefined {
  const name = filename?.split(/[/\\]/).pop()?.trim()
  if (!name) return undefined
  const base = name.replace(/\.[^.]+$/, '').trim()
  return base || name
}
