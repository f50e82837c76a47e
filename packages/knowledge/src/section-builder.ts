import { type ParsedSection } from './parsed-document.js'

/** Collects paragraphs under the current heading path as a structured document is walked. */
export class SectionBuilder {
  private readonly path: Array<{ level: number; text: string }> = []
  private paragraphs: string[] = []
  private readonly done: ParsedSection[] = []
  private first: string | undefined

  /** A heading of `level` (1 outermost) closes the section before it and replaces every heading at its level or deeper. */
  heading(level: number, text: string): void {
    const title = collapseSpaces(text)
    if (!title) return
    this.flush()
    while ((this.path.at(-1)?.level ?? 0) >= level) this.path.pop()
    this.path.push({ level, text: title })
    this.first ??= title
  }

  paragraph(text: string): void {
    const cleaned = tidyParagraph(text)
    if (cleaned) this.paragraphs.push(cleaned)
  }

  /** The document's first heading, the default title. */
  get firstHeading(): string | undefined {
    return this.first
  }

  /** The sections with text, in document order. */
  sections(): ParsedSection[] {
    this.flush()
    return this.done
  }

  private flush(): void {
    if (this.paragraphs.length === 0) return
    this.done.push({ headings: this.path.map((h) => h.text), text: this.paragraphs.join('\n\n') })
    this.paragraphs = []
  }
}

/** Runs of spaces and line breaks as one space, trimmed. */
export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Trailing spaces off every line, no blank lines at either end, at most one blank line in a row. */
export function tidyParagraph(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '')
}
