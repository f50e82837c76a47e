import { parseDocument } from 'htmlparser2'
import { type ParsedSection } from './parsed-document.js'
import { collapseSpaces, SectionBuilder } from './section-builder.js'

type HtmlNode = ReturnType<typeof parseDocument>['children'][number]
type HtmlElement = Extract<HtmlNode, { attribs: unknown }>

// Page furniture and code: never knowledge.
const dropped = new Set('script style nav footer noscript template svg math iframe object embed canvas select'.split(' '))
const blocks = new Set(
  (
    'address article aside blockquote caption center dd details dialog div dl dt fieldset figcaption figure form header hgroup hr ' +
    'legend li main menu ol p pre section summary table tbody td tfoot th thead tr ul'
  ).split(' '),
)

/** HTML as plain-text sections: h1–h6 build the path, block elements separate paragraphs, lists and tables become lines. */
export function parseHtml(html: string): { sections: ParsedSection[]; firstHeading: string | undefined; title: string | undefined } {
  const walker = new HtmlWalker()
  walker.walk(parseDocument(html, { decodeEntities: true, lowerCaseTags: true }).children)
  return { sections: walker.builder.sections(), firstHeading: walker.builder.firstHeading, title: walker.title }
}

class HtmlWalker {
  readonly builder = new SectionBuilder()
  title: string | undefined
  private inline = ''

  walk(nodes: HtmlNode[]): void {
    for (const node of nodes) {
      if (node.type === 'text') this.inline += node.data.replace(/\s+/g, ' ')
      else if (isElement(node)) this.element(node)
    }
  }

  private element(node: HtmlElement): void {
    const name = node.name
    if (name === 'title') {
      this.title ??= collapseSpaces(textOf(node.children)) || undefined
    } else if (dropped.has(name) || 'hidden' in node.attribs) {
      return
    } else if (/^h[1-6]$/.test(name)) {
      this.endParagraph()
      this.builder.heading(Number(name[1]), textOf(node.children))
    } else if (name === 'br') {
      this.inline += '\n'
    } else if (name === 'ul' || name === 'ol' || name === 'table' || name === 'pre') {
      this.endParagraph()
      const lines = name === 'table' ? tableLines(node) : name === 'pre' ? [rawText(node.children)] : listLines(node)
      this.builder.paragraph(lines.join('\n'))
    } else if (blocks.has(name)) {
      this.endParagraph()
      this.walk(node.children)
      this.endParagraph()
    } else {
      this.walk(node.children)
    }
  }

  private endParagraph(): void {
    this.builder.paragraph(tidyLines(this.inline))
    this.inline = ''
  }
}

function isElement(node: HtmlNode): node is HtmlElement {
  return 'attribs' in node
}

function childElements(node: HtmlElement, names: string[]): HtmlElement[] {
  return node.children.filter(isElement).filter((child) => names.includes(child.name))
}

/** A list's items as lines, "- " or "1. " first, nested lists indented. */
function listLines(list: HtmlElement): string[] {
  return childElements(list, ['li']).flatMap((item, i) => {
    const marker = list.name === 'ol' ? `${Number(list.attribs.start ?? 1) + i}. ` : '- '
    const own = tidyLines(textOf(item.children.filter((child) => !isElement(child) || !['ul', 'ol'].includes(child.name))))
    const nested = childElements(item, ['ul', 'ol']).flatMap(listLines)
    return [...(own ? own.split('\n').map((line, j) => (j === 0 ? marker : '  ') + line) : []), ...nested.map((line) => `  ${line}`)]
  })
}

/** A table's rows as "cell | cell" lines. */
function tableLines(table: HtmlElement): string[] {
  const rows = [table, ...childElements(table, ['thead', 'tbody', 'tfoot'])].flatMap((group) => childElements(group, ['tr']))
  return rows
    .map((row) =>
      childElements(row, ['td', 'th'])
        .map((cell) => collapseSpaces(textOf(cell.children)))
        .join(' | '),
    )
    .filter((line) => line.replace(/[|\s]/g, '') !== '')
}

/** Visible text of nodes, block elements on lines of their own. */
function textOf(nodes: HtmlNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return node.data.replace(/\s+/g, ' ')
      if (!isElement(node) || dropped.has(node.name) || 'hidden' in node.attribs) return ''
      if (node.name === 'br') return '\n'
      if (node.name === 'table') return `\n${tableLines(node).join('\n')}\n`
      const inner = textOf(node.children)
      return blocks.has(node.name) || /^h[1-6]$/.test(node.name) ? `\n${inner}\n` : inner
    })
    .join('')
}

/** Text inside <pre>, spacing kept. */
function rawText(nodes: HtmlNode[]): string {
  return nodes
    .map((node) => (node.type === 'text' ? node.data : isElement(node) ? (node.name === 'br' ? '\n' : rawText(node.children)) : ''))
    .join('')
}

/** Each line's spaces collapsed and trimmed; empty lines dropped. */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map(collapseSpaces)
    .filter((line) => line !== '')
    .join('\n')
}
