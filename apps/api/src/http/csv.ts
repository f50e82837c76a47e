// What a spreadsheet would run as a formula starts with one of these (OWASP: CSV injection).
const formulaStart = /^[=+\-@\t\r]/

/** A UTF-8 byte-order mark: without it Excel reads a CSV file's Chinese text as mojibake. */
export const csvByteOrderMark = '\uFEFF'

/**
 * One field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line
 * break. A value a spreadsheet would take for a formula gets a leading `'`, so it stays text.
 */
export function csvField(value: string): string {
  const text = formulaStart.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One record, ended by CRLF. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}
