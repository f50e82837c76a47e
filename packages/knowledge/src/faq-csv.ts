import { parseCsv } from './csv.js'
import { type ParsedFaq, UnsupportedDocument } from './parsed-document.js'

const questionHeaders = ['question', '问题']
const answerHeaders = ['answer', '答案']

/**
 * FAQ pairs from a CSV whose header row names a `question` and an `answer` column (or 问题 and
 * 答案); other columns are ignored, and rows missing either are skipped. Comma-separated, or
 * tab- or semicolon-separated as some spreadsheets export.
 */
export function parseFaqCsv(text: string, what: string): ParsedFaq[] {
  let firstRow: string[] | undefined
  for (const delimiter of [',', '\t', ';']) {
    const rows = parseCsv(text, delimiter).filter((row) => row.some((field) => field.trim() !== ''))
    const header = rows[0]?.map((name) => name.trim().toLowerCase())
    firstRow ??= rows[0]
    const q = header?.findIndex((name) => questionHeaders.includes(name)) ?? -1
    const a = header?.findIndex((name) => answerHeaders.includes(name)) ?? -1
    if (q < 0 || a < 0) continue
    return rows.slice(1).flatMap((row) => {
      const question = row[q]?.trim() ?? ''
      const answer = row[a]?.trim() ?? ''
      return question && answer ? [{ question, answer }] : []
    })
  }
  const found = firstRow ? `; its first row is: ${firstRow.map((name) => name.trim()).join(', ')}` : '; the file is empty'
  throw new UnsupportedDocument(
    `${what} is not a FAQ sheet: its first row must name a "question" and an "answer" column (or 问题 and 答案)${found}`,
  )
}
