import { decodeHTML } from 'entities'
import { Lexer, type MarkedToken, type Token } from 'marked'
import { type ParsedSection } from './parsed-document.js'
import { SectionBuilder } from './section-builder.js'

/** Markdown as plain-text sections: headings build the path, syntax is stripped, the words stay. */
export function parseMarkdown(markdown: string): { sections: ParsedSection[]; firstHeading: string | undefined } {
  const builder = new SectionBuilder()
  // YAML front matter (static-site and note-taking tools write it) is metadata, not text.
  const body = markdown.replace(/\r\n?/g, '\n').replace(/^\ufeff?---\n[\s\S]*?\n(---|\.\.\.)[ \t]*(\n|$)/, '')
  for (const token of new Lexer({ gfm: true }).lex(body)) block(builder, token)
  return { sections: builder.sections(), firstHeading: builder.firstHeading }
}

function block(builder: SectionBuilder, token: Token): void {
  const t = token as MarkedToken
  switch (t.type) {
    case 'heading':
      return builder.heading(t.depth, inline(t.tokens))
    case 'blockquote':
      for (const child of t.tokens) block(builder, child)
      return
    case 'list':
    case 'table':
    case 'code':
    case 'paragraph':
    case 'text':
    case 'html':
      return builder.paragraph(lines(t).join('\n'))
    default:
      return // space, hr, link definitions: no text
  }
}

/** A block's text as lines; lists indent their nested lists. */
function lines(token: Token): string[] {
  const t = token as MarkedToken
  switch (t.type) {
    case 'paragraph':
    case 'heading':
      return inline(t.tokens).split('\n')
    case 'text':
      return (t.tokens ? inline(t.tokens) : plain(t.text)).split('\n')
    case 'code':
      return t.text.split('\n')
    case 'html':
      return plain(t.text.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ' '))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
    case 'blockquote':
      return t.tokens.flatMap(lines)
    case 'table':
      return [t.header, ...t.rows].map((row) => row.map((cell) => inline(cell.tokens).trim()).join(' | '))
    case 'list':
      return t.items.flatMap((item, i) => {
        const marker = t.ordered ? `${(t.start === '' ? 1 : t.start) + i}. ` : '- '
        const body = item.tokens.filter((child) => child.type !== 'checkbox').flatMap(lines)
        return body.map((line, j) => (j === 0 ? marker : '  ') + line)
      })
    default:
      return []
  }
}

/** Inline tokens as text: emphasis and links keep their words, images and tags vanish. */
function inline(tokens: Token[]): string {
  return tokens.map(span).join('')
}

function span(token: Token): string {
  const t = token as MarkedToken
  switch (t.type) {
    case 'text':
      return t.tokens ? inline(t.tokens) : plain(t.text)
    case 'escape':
    case 'codespan':
      return decodeHTML(t.text)
    case 'strong':
    case 'em':
    case 'del':
    case 'link':
      return inline(t.tokens)
    case 'br':
      return '\n'
    case 'html':
      return /^<br\s*\/?>$/i.test(t.text.trim()) ? '\n' : ''
    default:
      return '' // images, checkboxes
  }
}

/**
 * Text with entities decoded. CommonMark does not close `**` before CJK text after punctuation
 * (`**注意：**请…`), which Chinese writers do all the time, so leftover pairs are unwrapped here.
 */
function plain(text: string): string {
  return decodeHTML(text).replace(/\*\*([^*\n]+?)\*\*/g, '$1')
}
