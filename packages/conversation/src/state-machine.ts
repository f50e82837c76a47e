import type { ConversationState } from '@chorus/db'
import type { ConversationRepository } from './conversation.repository.js'

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

/** Who changes a conversation's state, and why (kept with the event). */
export interface StateActor {
  type: 'user' | 'bot' | 'staff' | 'system'
  id?: string
  reason: string
}

/**
 * Moves a conversation to `to` if that is an allowed step from its current state `from`;
 * records the event. Returns false (and changes nothing) when it is not, or when someone else
 * changed the state first.
 */
export async function transition(
  repo: Pick<ConversationRepository, 'changeState'>,
  conversation: { id: string; state: ConversationState },
  to: ConversationState,
  actor: StateActor,
): Promise<boolean> {
  if (!canTransition(conversation.state, to)) return false
  return repo.changeState(conversation.id, conversation.state, to, actor)
}
