import { UnsupportedDocument } from './parsed-document.js'

/**
 * Rows of an RFC 4180 CSV: fields separated by `delimiter`, quoted fields may hold delimiters,
 * line breaks and doubled quotes. Expects text with "\n" line ends (see decodeText).
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let line = 1
  while (i < text.length) {
    const c = text[i]
    if (c === '"' && field.trim() === '') {
      // A quoted field; anything before the opening quote is only spacing.
      const start = line
      field = ''
      i++
      for (;;) {
        if (i >= text.length) throw new UnsupportedDocument(`the CSV has a quoted field opened on line ${start} that is never closed`)
        const q = text[i]
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (q === '\n') line++
        field += q
        i++
      }
      // Spacing after the closing quote is dropped; other text is kept, as spreadsheets do.
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n') {
        if (!/\s/.test(text[i] ?? '')) field += text[i]
        i++
      }
    } else if (c === delimiter) {
      row.push(field)
      field = ''
      i++
    } else if (c === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      line++
      i++
    } else {
      field += c
      i++
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}
