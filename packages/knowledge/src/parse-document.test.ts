import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'

describe('plain text and pasted text', () => {
  it('reads a plain text file as one section of paragraphs', async () => {
    const text = '营业时间\r\n周一至周日 9:00-18:00\r\n\r\n\r\n联系电话：0571-00000000\n   \n地址：杭州市西湖区'
    const doc = await parseDocument({ filename: '联系我们.txt', bytes: Buffer.from(`\ufeff${text}`) })
    expect(doc).toEqual({
      title: '联系我们',
      format: 'text',
      sections: [{ headings: [], text: '营业时间\n周一至周日 9:00-18:00\n\n联系电话：0571-00000000\n\n地址：杭州市西湖区' }],
      faqs: [],
    })
  })

  it('reads pasted text that looks like Markdown as Markdown', async () => {
    const doc = await parseDocument({ title: '签证须知', text: '## 免签政策\n\n**144 小时**过境免签适用于 54 个国家。' })
    expect(doc).toEqual({
      title: '签证须知',
      format: 'markdown',
      sections: [{ headings: ['免签政策'], text: '144 小时过境免签适用于 54 个国家。' }],
      faqs: [],
    })
  })

  it('reads other pasted text as plain text, keeping characters Markdown would eat', async () => {
    const doc = await parseDocument({ title: 'Prices', text: 'Adult *ticket* 45 yuan\n\nChild ticket 22 yuan' })
    expect(doc.format).toBe('text')
    expect(doc.sections).toEqual([{ headings: [], text: 'Adult *ticket* 45 yuan\n\nChild ticket 22 yuan' }])
  })

  it('titles pasted Markdown by its first heading when the title is blank', async () => {
    expect((await parseDocument({ title: ' ', text: '# 行李规定\n\n每人限带一件行李。' })).title).toBe('行李规定')
  })

  it('reads UTF-8 with a damaged byte as UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(
        '西湖十景：苏堤春晓、曲院风荷、平湖秋月、断桥残雪、柳浪闻莺、花港观鱼、雷峰夕照、双峰插云、南屏晚钟、三潭印月。'.repeat(3),
      ),
      Buffer.from([0xe4, 0x0a]),
    ])
    const doc = await parseDocument({ filename: 'ten-views.txt', bytes })
    expect(doc.sections[0]?.text).toMatch(/^西湖十景：苏堤春晓/)
  })

  it('yields no chunks for empty text', async () => {
    const doc = await parseDocument({ title: 'Empty', text: ' \n\n \n' })
    expect(doc.sections).toEqual([])
    expect(chunkDocument(doc)).toEqual([])
  })

  it('rejects a binary file uploaded as text', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
    const upload = parseDocument({ filename: 'notes.txt', bytes })
    await expect(upload).rejects.toThrow(UnsupportedDocument)
    await expect(upload).rejects.toThrow('"notes.txt" is not a text file (it looks binary); check the file type')
  })
})
