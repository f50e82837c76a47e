import type { ChatCompletionRequest } from '@chorus/protocol'
import { RequestRefused } from './engine.js'

/** What the API itself answers for (the model, the messages, streaming, the reply's length, the caller's id). */
const answeredByApi = new Set(['model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'user'])

/** Whether `value` asks for nothing beyond what every engine does (a single choice, no tool, text). */
function asksNothing(name: string, value: unknown, request: ChatCompletionRequest): boolean {
  if (value === undefined || value === null) return true
  if (name === 'n') return value === 1
  if (name === 'logprobs') return value === false
  if (name === 'response_format') return (value as { type: string }).type === 'text'
  // Without tools, "auto" calls nothing, and there is nothing to call in parallel.
  if (name === 'tool_choice') return value === 'none' || (value === 'auto' && !request.tools?.length)
  if (name === 'parallel_tool_calls') return !request.tools?.length
  if (name === 'tools') return Array.isArray(value) && value.length === 0
  return false
}

/**
 * Throws `RequestRefused` for the first parameter of a `/v1` request that asks for something and
 * that `honours` does not list (an unknown extra field too): an engine never ignores one.
 */
export function refuseUnhonoured(request: ChatCompletionRequest | undefined, engine: string, honours: ReadonlySet<string>): void {
  if (!request) return
  for (const [name, value] of Object.entries(request)) {
    if (answeredByApi.has(name) || honours.has(name) || asksNothing(name, value, request)) continue
    throw new RequestRefused(`The ${engine} engine serving this model cannot honour '${name}'.`, name)
  }
}

/**
 * Throws `RequestRefused` for the first message a text engine cannot read as text: a tool call
 * or a tool's result (unless `toolCalls`), or a part other than text (images too, unless `images`).
 */
export function refuseNonTextMessages(
  request: ChatCompletionRequest | undefined,
  engine: string,
  options: { images?: boolean; toolCalls?: boolean } = {},
): void {
  if (!request) return
  request.messages.forEach((message, i) => {
    const toolMessage =
      message.role === 'tool' || message.role === 'function' || (message.role === 'assistant' && message.tool_calls?.length)
    if (toolMessage && !options.toolCalls) {
      throw new RequestRefused(`The ${engine} engine serving this model cannot take tool calls or tool results.`, `messages.${i}`)
    }
    if (!Array.isArray(message.content)) return
    message.content.forEach((part, j) => {
      if (part.type === 'text' || (options.images && part.type === 'image_url')) return
      throw new RequestRefused(`The ${engine} engine serving this model cannot read '${part.type}' content.`, `messages.${i}.content.${j}`)
    })
  })
}

/** The stop sequences of a request, as a list. */
export function stopSequences(request: ChatCompletionRequest | undefined): string[] {
  const stop = request?.stop
  if (!stop) return []
  return (typeof stop === 'string' ? [stop] : stop).filter((s) => s.length > 0)
}
