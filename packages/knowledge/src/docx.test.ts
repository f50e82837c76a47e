import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'
import { minimalDocx } from './fixtures/minimal-docx.js'

describe('Word documents', () => {
  const docx = minimalDocx([
    { style: 'Title', text: '龙井茶园一日游' },
    { text: '行程适合所有年龄段的游客。' },
    { style: 'Heading1', text: '行程安排' },
    { style: 'Heading2', text: '上午' },
    { text: '8:30 酒店接送，前往梅家坞茶园。' },
    { text: '体验采茶 & 炒茶。' },
    { style: 'Heading2', text: '下午' },
    { text: '参观中国茶叶博物馆。' },
    { style: 'Heading1', text: '价格' },
    {
      table: [
        ['类型', '价格'],
        ['成人', '380 元'],
        ['儿童', '190 元'],
      ],
    },
  ])

  it('turns Word headings into the heading path', async () => {
    const doc = await parseDocument({
      filename: 'longjing.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes: docx,
    })
    expect(doc.format).toBe('docx')
    expect(doc.title).toBe('龙井茶园一日游')
    expect(doc.sections).toEqual([
      { headings: ['龙井茶园一日游'], text: '行程适合所有年龄段的游客。' },
      { headings: ['行程安排', '上午'], text: '8:30 酒店接送，前往梅家坞茶园。\n\n体验采茶 & 炒茶。' },
      { headings: ['行程安排', '下午'], text: '参观中国茶叶博物馆。' },
      { headings: ['价格'], text: '类型 | 价格\n成人 | 380 元\n儿童 | 190 元' },
    ])
  })

  it('chunks under the heading path', async () => {
    const chunks = chunkDocument(await parseDocument({ filename: 'longjing.docx', bytes: docx }))
    expect(chunks.map((c) => c.heading)).toEqual(['龙井茶园一日游', '行程安排 > 上午', '行程安排 > 下午', '价格'])
  })

  it('rejects a file that is not a Word document with a clear message', async () => {
    const broken = parseDocument({ filename: 'report.docx', bytes: Buffer.from('plain text pretending to be Word') })
    await expect(broken).rejects.toThrow(UnsupportedDocument)
    await expect(broken).rejects.toThrow(/"report.docx" is not a readable Word \(.docx\) document/)
  })
})
