import { chunkDocument, type ParsedDocument, type ParsedSection } from './document.js'

function doc(sections: ParsedSection[], faqs: ParsedDocument['faqs'] = []): ParsedDocument {
  return { title: 'Test', format: 'text', sections, faqs }
}

const sentence = (n: number) => `西湖游船第${n}班从湖滨码头出发，途经三潭印月和湖心亭，全程大约需要四十五分钟。`

describe('chunking documents', () => {
  it('keeps short sections whole, one chunk per section, with the heading path joined by " > "', () => {
    const chunks = chunkDocument(
      doc([
        { headings: ['服务', '退款'], text: '出发前 7 天可全额退款。' },
        { headings: [], text: 'No heading here.' },
      ]),
    )
    expect(chunks).toEqual([
      { ordinal: 0, heading: '服务 > 退款', text: '出发前 7 天可全额退款。', kind: 'passage' },
      { ordinal: 1, heading: '', text: 'No heading here.', kind: 'passage' },
    ])
  })

  it('splits long Chinese text at 。 boundaries, under maxChars', () => {
    const text = Array.from({ length: 30 }, (_, i) => sentence(i + 1)).join('')
    const chunks = chunkDocument(doc([{ headings: ['游船'], text }]), { maxChars: 200 })
    expect(chunks.length).toBeGreaterThan(4)
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(200)
      expect(chunk.text.endsWith('。')).toBe(true)
      expect(chunk.heading).toBe('游船')
    }
    expect(chunks.map((c) => c.text).join('')).toBe(text)
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i))
  })

  it('cuts at paragraphs before sentences', () => {
    const first = [sentence(1), sentence(2)].join('')
    const second = [sentence(3), sentence(4)].join('')
    const chunks = chunkDocument(doc([{ headings: [], text: `${first}\n\n${second}` }]), { maxChars: 100 })
    expect(chunks.map((c) => c.text)).toEqual([first, second])
  })

  it('never cuts an English word, even in a sentence longer than maxChars', () => {
    const words = 'Visitors taking the scenic cruise around West Lake should arrive early because boats depart frequently'.split(' ')
    const text = Array.from({ length: 40 }, (_, i) => words[i % words.length]).join(' ')
    const chunks = chunkDocument(doc([{ headings: ['Cruise'], text }]), { maxChars: 50 })
    expect(chunks.length).toBeGreaterThan(3)
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(50)
      for (const word of chunk.text.split(' ')) expect(words).toContain(word)
    }
    expect(chunks.map((c) => c.text).join(' ')).toBe(text)
  })

  it('cuts English text at sentence ends, not at decimal points', () => {
    const text = 'The boat costs 55.5 yuan per adult. Children under 1.2 m ride free! Seniors pay half? Yes, with an ID card.'
    const chunks = chunkDocument(doc([{ headings: [], text }]), { maxChars: 40 })
    expect(chunks.map((c) => c.text)).toEqual([
      'The boat costs 55.5 yuan per adult.',
      'Children under 1.2 m ride free!',
      'Seniors pay half? Yes, with an ID card.',
    ])
  })

  it('splits a Chinese sentence without punctuation between words when it must', () => {
    const text = '灵隐寺飞来峰景区门票四十五元'.repeat(10)
    const chunks = chunkDocument(doc([{ headings: [], text }]), { maxChars: 30 })
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(30)
    expect(chunks.map((c) => c.text).join('')).toBe(text)
  })

  it('uses 600 characters by default', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join('')
    const chunks = chunkDocument(doc([{ headings: [], text }]))
    expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(600)
    expect(chunks[0]?.text.length).toBeGreaterThan(500)
  })

  it('puts FAQ pairs after the passages, one chunk each', () => {
    const chunks = chunkDocument(doc([{ headings: ['A'], text: 'Text.' }], [{ question: 'Q?', answer: 'A.' }]))
    expect(chunks).toEqual([
      { ordinal: 0, heading: 'A', text: 'Text.', kind: 'passage' },
      { ordinal: 1, heading: '', text: 'Q?\nA.', kind: 'faq', question: 'Q?', answer: 'A.' },
    ])
  })

  it('yields no chunks for empty text', () => {
    expect(chunkDocument(doc([{ headings: ['Empty'], text: ' \n\n ' }]))).toEqual([])
    expect(chunkDocument(doc([]))).toEqual([])
  })
})
