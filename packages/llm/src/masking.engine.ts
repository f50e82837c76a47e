import type { ChatCompletionRequest, ChatMessage, OpenAIMessage } from '@chorus/protocol'
import { RequestRefused, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'
import { PersonalDataMask } from './personal-data.js'

function maskMessage(mask: PersonalDataMask, message: ChatMessage): ChatMessage {
  if (typeof message.content === 'string') return { ...message, content: mask.mask(message.content) }
  return { ...message, content: message.content.map((part) => (part.type === 'text' ? { ...part, text: mask.mask(part.text) } : part)) }
}

/** A `/v1` message with its text (and the arguments of its tool calls) masked. */
function maskOpenAIMessage(mask: PersonalDataMask, message: OpenAIMessage): OpenAIMessage {
  const content = message.content
  const masked =
    typeof content === 'string'
      ? mask.mask(content)
      : Array.isArray(content)
        ? content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? { ...part, text: mask.mask(part.text) } : part))
        : content
  if (message.role !== 'assistant' || !message.tool_calls) return { ...message, content: masked } as OpenAIMessage
  const toolCalls = message.tool_calls.map((call) => ({
    ...call,
    function: { ...call.function, arguments: mask.mask(call.function.arguments) },
  }))
  return { ...message, content: masked, tool_calls: toolCalls } as OpenAIMessage
}

/**
 * An engine whose prompts leave the company's network: phone, ID-card and bank-card numbers and
 * e-mail addresses are replaced by placeholders before the prompt is sent (retrieved sources
 * too), and put back into the reply — streamed tokens included — before anyone sees it.
 */
export class MaskingEngine implements Engine {
  readonly kind: string
  readonly model: string
  readonly toolCalling: boolean

  constructor(private readonly inner: Engine) {
    this.kind = `${inner.kind}+masking`
    this.model = inner.model
    this.toolCalling = inner.toolCalling === true
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    this.refuse(request.openai)
    const mask = new PersonalDataMask()
    const masked: GenerateRequest = {
      ...request,
      messages: request.messages.map((m) => maskMessage(mask, m)),
      sources: request.sources?.map((s) => ({ ...s, text: mask.mask(s.text), answer: s.answer ? mask.mask(s.answer) : s.answer })),
      ...(request.openai
        ? { openai: { ...request.openai, messages: request.openai.messages.map((m) => maskOpenAIMessage(mask, m)) } }
        : {}),
    }
    const restorer = mask.streamRestorer()
    const result = await this.inner.generate(masked, (chunk) => {
      const text = restorer.push(chunk.text)
      // A passed-through chunk carries the same text: it is sent restored, or not at all while a placeholder is incomplete.
      if (chunk.choices)
        onChunk({ text, choices: chunk.choices.map((c) => (c.delta?.content ? { ...c, delta: { ...c.delta, content: text } } : c)) })
      else if (text) onChunk({ text })
    })
    const rest = restorer.flush()
    if (rest) onChunk({ text: rest, ...(request.openai ? { choices: [{ index: 0, delta: { content: rest } }] } : {}) })
    // Tool calls' arguments come back with the real values: the tool needs the real order number.
    const choices = result.choices?.map((c) => {
      const toolCalls = (c.message as { tool_calls?: Array<{ function: { arguments: string } }> }).tool_calls
      return {
        ...c,
        message: {
          ...c.message,
          content: c.message.content === null ? null : mask.restore(c.message.content),
          ...(toolCalls
            ? {
                tool_calls: toolCalls.map((call) => ({
                  ...call,
                  function: { ...call.function, arguments: mask.restore(call.function.arguments) },
                })),
              }
            : {}),
        },
      }
    })
    return { ...result, text: mask.restore(result.text), ...(choices ? { choices } : {}) }
  }

  probe(): Promise<void> {
    return this.inner.probe()
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  /**
   * Streamed tool-call deltas, several choices and log probabilities would carry placeholders
   * back where the reply's restorer does not look: a masked endpoint refuses them rather than
   * leak or garble. Tool calls answered whole have their arguments restored (a bot's tool loop;
   * the results it sends back are masked like the rest of the prompt).
   */
  private refuse(request: ChatCompletionRequest | undefined): void {
    const streamedTools = Boolean(request?.tools?.length && request.stream)
    const refused = streamedTools ? 'tools' : (request?.n ?? 1) > 1 ? 'n' : request?.logprobs ? 'logprobs' : undefined
    if (refused) throw new RequestRefused(`'${refused}' is not available on a model endpoint that masks personal data.`, refused)
  }
}
