import type { ChatMessage } from '@chorus/protocol'
import type { Engine, GenerateChunk, GenerateRequest, GenerateResult } from './engine.js'
import { PersonalDataMask } from './personal-data.js'

function maskMessage(mask: PersonalDataMask, message: ChatMessage): ChatMessage {
  if (typeof message.content === 'string') return { ...message, content: mask.mask(message.content) }
  return { ...message, content: message.content.map((part) => (part.type === 'text' ? { ...part, text: mask.mask(part.text) } : part)) }
}

/**
 * An engine whose prompts leave the company's network: phone, ID-card and bank-card numbers and
 * e-mail addresses are replaced by placeholders before the prompt is sent (retrieved sources
 * too), and put back into the reply — streamed tokens included — before anyone sees it.
 */
export class MaskingEngine implements Engine {
  readonly kind: string
  readonly model: string

  constructor(private readonly inner: Engine) {
    this.kind = `${inner.kind}+masking`
    this.model = inner.model
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    const mask = new PersonalDataMask()
    const masked: GenerateRequest = {
      ...request,
      messages: request.messages.map((m) => maskMessage(mask, m)),
      sources: request.sources?.map((s) => ({ ...s, text: mask.mask(s.text), answer: s.answer ? mask.mask(s.answer) : s.answer })),
    }
    const restorer = mask.streamRestorer()
    const result = await this.inner.generate(masked, (chunk) => {
      const text = restorer.push(chunk.text)
      if (text) onChunk({ text })
    })
    const rest = restorer.flush()
    if (rest) onChunk({ text: rest })
    return { ...result, text: mask.restore(result.text) }
  }

  probe(): Promise<void> {
    return this.inner.probe()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
