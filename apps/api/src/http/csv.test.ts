import { csvField, csvRecord } from './csv.js'

describe('CSV', () => {
  it('quotes a field with a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('plain 中文')).toBe('plain 中文')
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"')
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"')
  })

  it('keeps a spreadsheet from running a field as a formula', () => {
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)")
    expect(csvField('@cmd')).toBe("'@cmd")
    expect(csvField('-1,5')).toBe(`"'-1,5"`)
  })

  it('ends a record with CRLF', () => {
    expect(csvRecord(['a', 'b c', ''])).toBe('a,b c,\r\n')
  })
})
