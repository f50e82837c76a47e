// The agent-side API's shapes, as docs/handoff.md specifies them.

export type ConversationState = 'bot' | 'waiting' | 'agent' | 'resolved'
export type MessageRole = 'user' | 'assistant' | 'agent' | 'system' | 'note'
export type StaffRole = 'admin' | 'agent'
export type ChannelKind = 'wechat_group' | 'wechat_private' | 'miniprogram' | 'api'

export interface StaffRef {
  id: string
  displayName: string
}

export interface Staff extends StaffRef {
  email: string
  role: StaffRole
}

/** `GET /api/me`. */
export interface Me extends Staff {
  capacity: number
  available: boolean
  teams: { id: string; name: string }[]
}

/** `POST /api/auth/login`. */
export interface LoginResponse {
  token: string
  expiresAt: string
  staff: Staff
}

/** One row of the inbox. */
export interface ConversationSummary {
  id: string
  state: ConversationState
  bot: { id: string; name: string }
  channel: { kind: ChannelKind | string; title: string | null }
  user: StaffRef | null
  assignee: StaffRef | null
  teamId: string | null
  lastMessage: { text: string; role: MessageRole; at: string } | null
  lastMessageAt: string | null
  handoffAt: string | null
  handoffReason: string | null
  rating: number | null
}

export interface InboxCounts {
  waiting: number
  mine: number
  all: number
}

/** `GET /api/conversations`. */
export interface InboxResponse {
  conversations: ConversationSummary[]
  counts: InboxCounts
}

/** Who made a state change: the spec leaves its shape open, so every likely one is accepted. */
export type Actor = string | { type?: string; id?: string | null; displayName?: string | null; name?: string | null } | null

export interface ConversationEvent {
  fromState: ConversationState | null
  toState: ConversationState
  actor: Actor
  reason: string | null
  at: string
}

export interface Message {
  id: string | number
  role: MessageRole
  text: string
  at: string
  /** The user's or the agent's name; the shape is as open as `Actor`'s. */
  author: Actor
  status: string | null
  /** Why the channel refused the message for good (status `undeliverable`): a reason code. */
  undeliverable?: string | null
}

export interface ConversationDetail extends ConversationSummary {
  summary: string | null
  /** Who wrote the summary: the model, or (no model configured) picked out of the conversation. */
  summarySource?: 'model' | 'extractive' | null
  events: ConversationEvent[]
  messages: Message[]
}

export interface StaffMember extends StaffRef {
  role?: StaffRole
  online?: boolean
}

export interface Team {
  id: string
  name: string
}

export interface CannedResponse {
  id: string
  shortcut: string
  text: string
}

export interface InboxQuery {
  state?: ConversationState
  mine?: boolean
  q?: string
  limit?: number
}

export type TransferTarget = { staffId: string } | { teamId: string }

/** A live event from `GET /api/events`. */
export type LiveEvent =
  | { type: 'conversation'; data: { id: string; state: ConversationState; assigneeId: string | null; botId: string } }
  | { type: 'message'; data: { conversationId: string; id: string | number; role: MessageRole } }
  | { type: 'typing'; data: { conversationId: string; staffId?: string } }
  | { type: 'ping'; data: unknown }

export interface Health {
  status: 'ok' | 'degraded'
  db: string
  redis: string
  workers: number
}

/** Suggested replies (docs/handoff.md): the model's, or without one the knowledge base's, with their sources. */
export interface SuggestedReplies {
  suggestions: string[]
  source?: 'model' | 'knowledge'
  /** For replies from the knowledge base: where each comes from, in the same order. */
  sources?: Array<{ document: string; question: string | null }>
  /** No model is configured and the knowledge base has nothing for the user's question. */
  needsModel?: boolean
}
