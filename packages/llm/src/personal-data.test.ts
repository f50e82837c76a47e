import type { Engine, GenerateChunk, GenerateRequest } from './engine.js'
import { MaskingEngine } from './masking.engine.js'
import { PersonalDataMask } from './personal-data.js'

// A valid resident ID number (check character X) and a Luhn-valid card number, made up for tests.
const idNumber = '11010519491231002X'
const card = '6222 0212 3456 7890 128'

describe('masking personal data', () => {
  it('masks phone numbers, ID numbers, bank cards and e-mail addresses, and restores them', () => {
    const mask = new PersonalDataMask()
    const text = `我的手机 13812345678，身份证 ${idNumber}，卡号 ${card}，邮箱 li.na@example.com`
    const masked = mask.mask(text)
    for (const secret of ['13812345678', idNumber, card, 'li.na@example.com']) expect(masked).not.toContain(secret)
    expect(masked).toBe('我的手机 [PHONE_1]，身份证 [ID_1]，卡号 [CARD_1]，邮箱 [EMAIL_1]')
    expect(mask.restore(masked)).toBe(text)
  })

  it('gives the same value the same placeholder, and leaves numbers that are not personal data alone', () => {
    const mask = new PersonalDataMask()
    expect(mask.mask('13812345678 or 13812345678, order 202611290001, price 1999')).toBe(
      '[PHONE_1] or [PHONE_1], order 202611290001, price 1999',
    )
    // 18 digits with a wrong check character is not an ID number.
    expect(mask.mask('110105194912310021')).toBe('110105194912310021')
  })

  it('restores placeholders split across streamed chunks', () => {
    const mask = new PersonalDataMask()
    mask.mask('call 13812345678')
    const restorer = mask.streamRestorer()
    const out = ['Sure, I will call [PH', 'ONE_', '1] now', ' [not a placeholder'].map((c) => restorer.push(c)).join('') + restorer.flush()
    expect(out).toBe('Sure, I will call 13812345678 now [not a placeholder')
  })

  it('sends the model masked text and gives the user the real values back', async () => {
    const seen: string[] = []
    const echo: Engine = {
      kind: 'echo',
      model: 'echo',
      async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void) {
        const prompt = String(request.messages.at(-1)!.content)
        seen.push(prompt)
        const reply = `收到，我们会联系 ${prompt.slice(prompt.indexOf('['), prompt.indexOf(']') + 1)}`
        for (const piece of [reply.slice(0, 12), reply.slice(12)]) onChunk({ text: piece })
        return { text: reply, promptTokens: 1, completionTokens: 1, finishReason: 'stop' }
      },
      probe: async () => undefined,
      close: async () => undefined,
    }
    const chunks: string[] = []
    const result = await new MaskingEngine(echo).generate(
      { messages: [{ role: 'user', content: '请打 13812345678 联系我' }], maxTokens: 10 },
      (c) => chunks.push(c.text),
    )
    expect(seen).toEqual(['请打 [PHONE_1] 联系我'])
    expect(result.text).toBe('收到，我们会联系 13812345678')
    expect(chunks.join('')).toBe('收到，我们会联系 13812345678')
  })
})
