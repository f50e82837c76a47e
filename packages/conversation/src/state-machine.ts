import type { ConversationState } from '@chorus/db'

/** Allowed state changes of a conversation (contract: bot, waiting, agent, resolved). */
export const transitions: Record<ConversationState, readonly ConversationState[]> = {
  bot: ['waiting', 'agent', 'resolved'],
  waiting: ['agent', 'bot', 'resolved'],
  agent: ['bot', 'waiting', 'resolved'],
  resolved: [],
}

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return transitions[from].includes(to)
}

/** Whether the bot may answer in this state: only while no person owns or awaits it. */
export function botMayAnswer(state: ConversationState): boolean {
  return state === 'bot'
}
