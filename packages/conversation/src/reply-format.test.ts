import { markdownToWeChat, splitReply } from './reply-format.js'

describe('markdownToWeChat', () => {
  it('drops markup and keeps the words', () => {
    const md =
      '# 行程\n\n**第一天**：参观 *故宫*，见 [官网](https://example.com)。\n\n- 早餐\n- `午餐`\n\n| 项目 | 价格 |\n|---|---|\n| 门票 | 60 |'
    expect(markdownToWeChat(md)).toBe(
      '【行程】\n\n第一天：参观 故宫，见 官网 (https://example.com)。\n\n• 早餐\n• 午餐\n\n项目 ｜ 价格\n门票 ｜ 60',
    )
  })

  it('keeps code blocks as plain lines', () => {
    expect(markdownToWeChat('Run:\n```sh\nnpm start\n```')).toBe('Run:\nnpm start')
  })
})

describe('splitReply', () => {
  it('leaves a short reply whole', () => {
    expect(splitReply('短回答。', 100)).toEqual(['短回答。'])
  })

  it('splits at paragraphs first, numbers the parts, and keeps every part under the limit', () => {
    const text = ['第一段。'.repeat(20), '第二段。'.repeat(20), '第三段。'.repeat(20)].join('\n\n')
    const parts = splitReply(text, 100)
    expect(parts.length).toBe(3)
    expect(parts.every((p) => p.length <= 100)).toBe(true)
    expect(parts[0]).toMatch(/^第一段。.*\n\(1\/3\)$/s)
    expect(parts.map((p) => p.replace(/\n\(\d\/3\)$/, '')).join('\n\n')).toBe(text)
  })

  it('splits a long paragraph at sentence ends, never inside a sentence that fits', () => {
    const sentence = 'This sentence is exactly fifty characters long ok. '
    const parts = splitReply(sentence.repeat(6).trim(), 120)
    for (const part of parts) expect(part.replace(/\n\(\d+\/\d+\)$/, '')).toMatch(/ok\.$/)
    expect(parts.every((p) => p.length <= 120)).toBe(true)
  })

  it('cuts a sentence with no boundary in it', () => {
    const parts = splitReply('字'.repeat(250), 100)
    expect(parts.every((p) => p.length <= 100)).toBe(true)
    expect(parts.map((p) => p.replace(/\n\(\d+\/\d+\)$/, '')).join('')).toBe('字'.repeat(250))
  })
})
