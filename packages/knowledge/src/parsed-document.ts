/** The kinds of file a company can upload as knowledge. */
export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx' | 'faq_csv'

/** Text under one heading path; `headings` runs from the outermost heading to the innermost. */
export interface ParsedSection {
  headings: string[]
  text: string
}

/** One question and its answer, from a FAQ sheet. */
export interface ParsedFaq {
  question: string
  answer: string
}

/** A document reduced to plain text: its sections and FAQ pairs. */
export interface ParsedDocument {
  title: string
  format: DocumentFormat
  sections: ParsedSection[]
  faqs: ParsedFaq[]
}

/** A file Chorus cannot read: an unsupported type, or a corrupt or unreadable file. */
export class UnsupportedDocument extends Error {
  override readonly name = 'UnsupportedDocument'
}
