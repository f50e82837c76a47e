import type { ChatMessage } from '@chorus/protocol'
import { estimateTokens } from '@chorus/llm'

export interface HistoryItem {
  role: 'user' | 'assistant' | 'agent' | 'system'
  text: string
  author: string | null
}

export const defaultPersona =
  'You are a helpful assistant chatting in WeChat. Answer briefly and clearly, in the language of the question.'

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
  let remaining = options.budgetTokens - estimateTokens(system.content)
  const picked: ChatMessage[] = []
  for (let i = options.history.length - 1; i >= 0; i--) {
    const item = options.history[i]!
    const message = toChatMessage(item, options.namedSpeakers)
    const cost = estimateTokens(message.content) + 4
    // The newest message always goes in, cut to fit if it must.
    if (picked.length === 0 && cost > remaining) {
      picked.push({ ...message, content: message.content.slice(-Math.max(1, remaining * 2)) })
      break
    }
    if (cost > remaining) break
    remaining -= cost
    picked.push(message)
  }
  return [system, ...picked.reverse()]
}

function toChatMessage(item: HistoryItem, namedSpeakers: boolean): ChatMessage {
  switch (item.role) {
    case 'user':
      return { role: 'user', content: namedSpeakers && item.author ? `${item.author}: ${item.text}` : item.text }
    case 'agent':
      return { role: 'assistant', content: item.text }
    case 'assistant':
      return { role: 'assistant', content: item.text }
    case 'system':
      return { role: 'system', content: item.text }
  }
}
