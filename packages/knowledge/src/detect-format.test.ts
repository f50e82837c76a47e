import { detectFormat, UnsupportedDocument } from './document.js'

describe('detecting the format of an upload', () => {
  it('goes by the file extension, whatever its case', () => {
    expect(detectFormat('README.MD', undefined)).toBe('markdown')
    expect(detectFormat('notes.txt', 'application/octet-stream')).toBe('text')
    expect(detectFormat('page.htm', undefined)).toBe('html')
    expect(detectFormat('报价单.PDF', undefined)).toBe('pdf')
    expect(detectFormat('手册.docx', undefined)).toBe('docx')
    expect(detectFormat('faq.csv', 'application/vnd.ms-excel')).toBe('faq_csv')
  })

  it('falls back to the MIME type, ignoring its parameters', () => {
    expect(detectFormat(undefined, 'text/markdown; charset=utf-8')).toBe('markdown')
    expect(detectFormat('upload', 'text/plain')).toBe('text')
    expect(detectFormat(undefined, 'application/pdf')).toBe('pdf')
    expect(detectFormat('blob', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('docx')
    expect(detectFormat(undefined, 'text/csv')).toBe('faq_csv')
  })

  it('rejects other files, with advice for the common ones', () => {
    expect(() => detectFormat('photo.jpg', 'image/jpeg')).toThrow(UnsupportedDocument)
    expect(() => detectFormat('photo.jpg', 'image/jpeg')).toThrow('unsupported document type: "photo.jpg" (image/jpeg)')
    expect(() => detectFormat('old.doc', 'application/msword')).toThrow(
      'old.doc: Word 97–2003 (.doc) files are not supported; save the document as .docx',
    )
    expect(() => detectFormat('faq.xlsx', undefined)).toThrow(/save the FAQ sheet as CSV/)
    expect(() => detectFormat(undefined, undefined)).toThrow('unsupported document type: a file without name or type')
  })
})
