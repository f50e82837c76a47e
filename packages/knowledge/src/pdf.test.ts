import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'
import { minimalPdf } from './fixtures/minimal-pdf.js'

describe('PDF documents', () => {
  const pdf = minimalPdf([
    [
      { text: 'Refund Policy', y: 740, size: 18 },
      { text: 'Tours cancelled seven days before departure are refunded', y: 700 },
      { text: 'in full (minus bank fees).', y: 686 },
      { text: 'Later cancellations are refunded at 50 percent.', y: 650 },
      { text: '- Bring your booking number', y: 614 },
      { text: '- Bring your passport', y: 600 },
    ],
    [{ text: 'Contact us from 9:00 to 18:00.', y: 700 }],
  ])

  it('extracts text page by page, rebuilding lines and paragraphs', async () => {
    const doc = await parseDocument({ filename: 'refund-policy.pdf', mimeType: 'application/pdf', bytes: pdf })
    expect(doc.format).toBe('pdf')
    expect(doc.title).toBe('refund-policy')
    expect(doc.sections).toEqual([
      {
        headings: [],
        text: [
          'Refund Policy',
          'Tours cancelled seven days before departure are refunded in full (minus bank fees).',
          'Later cancellations are refunded at 50 percent.',
          '- Bring your booking number\n- Bring your passport',
        ].join('\n\n'),
      },
      { headings: [], text: 'Contact us from 9:00 to 18:00.' },
    ])
  })

  it('chunks each page separately', async () => {
    const doc = await parseDocument({ filename: 'refund-policy.pdf', bytes: pdf })
    const chunks = chunkDocument(doc, { maxChars: 120 })
    expect(chunks.map((c) => c.text)).toEqual([
      'Refund Policy\n\nTours cancelled seven days before departure are refunded in full (minus bank fees).',
      'Later cancellations are refunded at 50 percent.\n\n- Bring your booking number\n- Bring your passport',
      'Contact us from 9:00 to 18:00.',
    ])
  })

  it('reads Chinese text in a standard CJK font, rejoining wrapped lines without spaces', async () => {
    const chinese = minimalPdf([
      [
        { text: '退款规则', y: 740, size: 16 },
        { text: '出发前七天以上取消，', y: 710 },
        { text: '全额退款。', y: 696 },
      ],
    ])
    const doc = await parseDocument({ filename: '退款规则.pdf', bytes: chinese })
    expect(doc.sections).toEqual([{ headings: [], text: '退款规则\n\n出发前七天以上取消，全额退款。' }])
  })

  it('rejects a corrupt PDF with a clear message', async () => {
    const broken = parseDocument({ filename: 'broken.pdf', bytes: Buffer.from('%PDF-1.4\nthis is not really a PDF') })
    await expect(broken).rejects.toThrow(UnsupportedDocument)
    await expect(broken).rejects.toThrow(/"broken.pdf" is not a readable PDF/)
  })

  it('rejects a PDF without text, such as a scan', async () => {
    await expect(parseDocument({ filename: 'scan.pdf', bytes: minimalPdf([[]]) })).rejects.toThrow(/no text to read/)
  })
})
