import { chunkDocument, parseDocument } from './document.js'
import { demoKnowledge, evalSet } from './demo.js'

describe('the demo knowledge of 西湖旅行社', () => {
  it('is a FAQ sheet of about forty questions, each one chunk', async () => {
    const { title, csv } = demoKnowledge()
    const doc = await parseDocument({ filename: 'travel-faq.csv', bytes: csv, title })
    expect(doc.title).toBe('西湖旅行社常见问题')
    expect(doc.faqs.length).toBeGreaterThanOrEqual(40)
    expect(new Set(doc.faqs.map((f) => f.question)).size).toBe(doc.faqs.length)
    const chunks = chunkDocument(doc)
    expect(chunks).toHaveLength(doc.faqs.length)
    expect(chunks.every((c) => c.kind === 'faq')).toBe(true)
  })

  it('has an evaluation set whose expected answers are FAQ questions, and some the FAQ cannot answer', async () => {
    const { csv } = demoKnowledge()
    const questions = new Set((await parseDocument({ filename: 'travel-faq.csv', bytes: csv })).faqs.map((f) => f.question))
    const cases = evalSet()
    expect(cases.length).toBeGreaterThanOrEqual(60)
    for (const { expected } of cases) if (expected !== null) expect(questions).toContain(expected)
    expect(cases.filter((c) => c.expected === null).length).toBeGreaterThanOrEqual(8)
    expect(new Set(cases.map((c) => c.query)).size).toBe(cases.length)
  })
})
