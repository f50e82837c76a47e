import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'

const bom = '\ufeff'

describe('FAQ CSV sheets', () => {
  it('reads quoted fields with commas, quotes and line breaks, Chinese text and a BOM', async () => {
    const csv =
      bom +
      'id,Question,Answer,备注\r\n' +
      '1,可以退票吗？,"可以，出发前 7 天免费退票。"\r\n' +
      '2,"游船几点开？","每天 8:00 开船,\n最后一班 17:00。",内部\r\n' +
      '3,"What is ""Longjing""?","Dragon Well tea, grown around West Lake."\r\n' +
      '4,,没有问题的行会被跳过\r\n' +
      '5,没有答案的行也会被跳过,""\r\n' +
      '\r\n'
    const doc = await parseDocument({ filename: 'faq.csv', mimeType: 'text/csv', bytes: Buffer.from(csv) })
    expect(doc).toEqual({
      title: 'faq',
      format: 'faq_csv',
      sections: [],
      faqs: [
        { question: '可以退票吗？', answer: '可以，出发前 7 天免费退票。' },
        { question: '游船几点开？', answer: '每天 8:00 开船,\n最后一班 17:00。' },
        { question: 'What is "Longjing"?', answer: 'Dragon Well tea, grown around West Lake.' },
      ],
    })
  })

  it('makes each FAQ one chunk of its question and answer, however long', async () => {
    const long = '答'.repeat(900)
    const csv = `问题,答案\n儿童票怎么算？,身高 1.2 米以下免票。\n长问题？,${long}\n`
    const chunks = chunkDocument(await parseDocument({ filename: '常见问题.csv', bytes: Buffer.from(csv) }))
    expect(chunks).toEqual([
      {
        ordinal: 0,
        heading: '',
        kind: 'faq',
        text: '儿童票怎么算？\n身高 1.2 米以下免票。',
        question: '儿童票怎么算？',
        answer: '身高 1.2 米以下免票。',
      },
      { ordinal: 1, heading: '', kind: 'faq', text: `长问题？\n${long}`, question: '长问题？', answer: long },
    ])
  })

  it('accepts a sheet Excel saved in GB18030, and tab-separated sheets', async () => {
    const gbk = Buffer.from([
      0xce,
      0xca,
      0xcc,
      0xe2,
      0x2c,
      0xb4,
      0xf0,
      0xb0,
      0xb8,
      0x0a, // 问题,答案
      0xc4,
      0xe3,
      0xba,
      0xc3,
      0x2c,
      0xc4,
      0xfa,
      0xba,
      0xc3,
      0x0a, // 你好,您好
    ])
    expect((await parseDocument({ filename: 'excel.csv', bytes: gbk })).faqs).toEqual([{ question: '你好', answer: '您好' }])
    const tsv = 'QUESTION\tANSWER\nOpen hours?\t9:00–18:00, every day\n'
    expect((await parseDocument({ filename: 'sheet.csv', bytes: Buffer.from(tsv) })).faqs).toEqual([
      { question: 'Open hours?', answer: '9:00–18:00, every day' },
    ])
  })

  it('rejects a sheet without question and answer columns, naming what it found', async () => {
    const sheet = parseDocument({ filename: 'prices.csv', bytes: Buffer.from('线路,价格\n西湖游船,55\n') })
    await expect(sheet).rejects.toThrow(UnsupportedDocument)
    await expect(sheet).rejects.toThrow(
      '"prices.csv" is not a FAQ sheet: its first row must name a "question" and an "answer" column (or 问题 and 答案); its first row is: 线路, 价格',
    )
  })

  it('rejects a quoted field that is never closed', async () => {
    await expect(parseDocument({ filename: 'faq.csv', bytes: Buffer.from('question,answer\n"Unclosed,answer\n') })).rejects.toThrow(
      'the CSV has a quoted field opened on line 2 that is never closed',
    )
  })
})
