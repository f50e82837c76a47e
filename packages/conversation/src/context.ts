import { imagesIn, textOf, type ChatMessage } from '@chorus/protocol'
import { estimateTokens } from '@chorus/llm'

export interface HistoryItem {
  role: 'user' | 'assistant' | 'agent' | 'system'
  text: string
  author: string | null
  /** An image the user sent (a data: URL), for vision models. */
  image?: string
}

// What an image costs in a prompt, roughly (vision models tile images into a few hundred tokens).
const imageTokens = 256

function costOf(message: ChatMessage): number {
  return estimateTokens(textOf(message.content)) + imagesIn(message.content) * imageTokens
}

// What a message costs beyond its text in chat templates (role markers, separators).
const perMessageTokens = 4

export const defaultPersona = 'You are a helpful assistant chatting in WeChat. Answer briefly and clearly, in the language of the question.'

/**
 * Builds the prompt for the newest message: the persona, then as much recent history as fits
 * in `budgetTokens`, oldest first. In groups each user line carries its speaker's name.
 */
export function buildContext(options: {
  persona: string
  history: HistoryItem[]
  budgetTokens: number
  namedSpeakers: boolean
}): ChatMessage[] {
  const system: ChatMessage = { role: 'system', content: options.persona || defaultPersona }
  let remaining = options.budgetTokens - costOf(system)
  const picked: ChatMessage[] = []
  for (let i = options.history.length - 1; i >= 0; i--) {
    const item = options.history[i]!
    const message = toChatMessage(item, options.namedSpeakers)
    const cost = costOf(message) + perMessageTokens
    // The newest message always goes in, its text cut (keeping its end) to fit if it must.
    if (picked.length === 0 && cost > remaining) {
      const overhead = cost - estimateTokens(item.text) + 1 // speaker prefix, markers, rounding
      picked.push(toChatMessage({ ...item, text: tail(item.text, remaining - overhead) }, options.namedSpeakers))
      break
    }
    if (cost > remaining) break
    remaining -= cost
    picked.push(message)
  }
  return [system, ...picked.reverse()]
}

/** The longest end of `text` that fits in `tokens` (at least one character). */
function tail(text: string, tokens: number): string {
  let low = 1
  let high = text.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (estimateTokens(text.slice(-mid)) <= tokens) low = mid
    else high = mid - 1
  }
  return text.slice(-low)
}

function toChatMessage(item: HistoryItem, namedSpeakers: boolean): ChatMessage {
  switch (item.role) {
    case 'user': {
      const text = namedSpeakers && item.author ? `${item.author}: ${item.text}` : item.text
      return item.image
        ? {
            role: 'user',
            content: [
              { type: 'text', text },
              { type: 'image_url', image_url: { url: item.image } },
            ],
          }
        : { role: 'user', content: text }
    }
    case 'agent':
      return { role: 'assistant', content: item.text }
    case 'assistant':
      return { role: 'assistant', content: item.text }
    case 'system':
      return { role: 'system', content: item.text }
  }
}
