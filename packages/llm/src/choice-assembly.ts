import type { OpenAIChoice, OpenAIChunkChoice } from '@chorus/protocol'

interface ToolCallSoFar {
  id?: string
  type: string
  function: { name: string; arguments: string }
}

interface ChoiceSoFar {
  content: string
  toolCalls: ToolCallSoFar[]
  /** Other text fields of the delta (`refusal`, a server's `reasoning_content`…), joined piece by piece. */
  texts: Record<string, string>
  logprobs: { content: unknown[]; refusal: unknown[] } | undefined
  finishReason: string | undefined
}

type ToolCallDelta = { index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }

/**
 * Puts streamed chunk choices back together into finished choices, as OpenAI would have answered
 * without streaming: the text, each tool call (its `id`, name and the `arguments` pieces joined,
 * by `index`), other text fields, log probabilities and the finish reason, per choice index.
 */
export class ChoiceAssembly {
  private readonly choices = new Map<number, ChoiceSoFar>()

  add(chunkChoices: OpenAIChunkChoice[]): void {
    for (const choice of chunkChoices) {
      let soFar = this.choices.get(choice.index)
      if (!soFar) {
        soFar = { content: '', toolCalls: [], texts: {}, logprobs: undefined, finishReason: undefined }
        this.choices.set(choice.index, soFar)
      }
      const delta = (choice.delta ?? {}) as Record<string, unknown>
      for (const [key, value] of Object.entries(delta)) {
        if (key === 'role' || value === null || value === undefined) continue
        if (key === 'content') soFar.content += String(value)
        else if (key === 'tool_calls') this.addToolCalls(soFar, value as ToolCallDelta[])
        else if (typeof value === 'string') soFar.texts[key] = (soFar.texts[key] ?? '') + value
      }
      const logprobs = (choice as { logprobs?: { content?: unknown[] | null; refusal?: unknown[] | null } | null }).logprobs
      if (logprobs) {
        soFar.logprobs ??= { content: [], refusal: [] }
        soFar.logprobs.content.push(...(logprobs.content ?? []))
        soFar.logprobs.refusal.push(...(logprobs.refusal ?? []))
      }
      if (choice.finish_reason) soFar.finishReason = choice.finish_reason
    }
  }

  /** The finished choices, by index. */
  result(): OpenAIChoice[] {
    return [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => {
        const toolCalls = c.toolCalls.filter((call) => call !== undefined)
        return {
          index,
          message: {
            role: 'assistant' as const,
            // OpenAI's shape: no content (null) beside tool calls.
            content: c.content === '' && toolCalls.length > 0 ? null : c.content,
            ...c.texts,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: c.finishReason ?? 'stop',
          logprobs: c.logprobs ? { content: c.logprobs.content, refusal: c.logprobs.refusal.length > 0 ? c.logprobs.refusal : null } : null,
        }
      })
  }

  private addToolCalls(soFar: ChoiceSoFar, deltas: ToolCallDelta[]): void {
    for (const [position, delta] of deltas.entries()) {
      const index = delta.index ?? position
      const call = (soFar.toolCalls[index] ??= { type: 'function', function: { name: '', arguments: '' } })
      if (delta.id) call.id = delta.id
      if (delta.type) call.type = delta.type
      if (delta.function?.name) call.function.name += delta.function.name
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments
    }
  }
}
