import type OpenAI from 'openai'
import { now } from './support.js'

export const simulatorModel = 'chorus-simulator'

/**
 * Tokens in a piece of a simulated reply: the simulator's tokens each end in one space, so a
 * chunk the pool coalesced from several tokens still counts right.
 */
function tokensIn(text: string): number {
  let count = 0
  for (const char of text) if (char === ' ') count++
  return count
}

/** One streaming chat completion; `onTokens` sees the tokens of each chunk as it arrives. */
export async function streamCompletion(
  client: OpenAI,
  content: string,
  maxTokens: number,
  onTokens: (count: number) => void = () => undefined,
): Promise<{ ttftMs: number; tokens: number }> {
  const started = now()
  const stream = await client.chat.completions.create({
    model: simulatorModel,
    messages: [{ role: 'user', content }],
    max_tokens: maxTokens,
    stream: true,
  })
  let ttftMs = Number.NaN
  let tokens = 0
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content
    if (!text) continue
    if (Number.isNaN(ttftMs)) ttftMs = now() - started
    const count = tokensIn(text)
    tokens += count
    onTokens(count)
  }
  return { ttftMs, tokens }
}
