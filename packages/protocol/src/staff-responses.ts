import { z } from 'zod'
import { recordedToolCall } from './tools-api.js'

// What the staff API answers (agent console; docs/handoff.md), beside its requests in
// staff-api.ts: the routes build their answers as these types, and the web panel reads them as
// these schemas, so a route that changes breaks the build rather than the page.

export const conversationState = z.enum(['bot', 'waiting', 'agent', 'resolved'])
export type ConversationState = z.infer<typeof conversationState>

export const messageRole = z.enum(['user', 'assistant', 'agent', 'system', 'note'])
export type MessageRole = z.infer<typeof messageRole>

export const staffRole = z.enum(['admin', 'agent'])
export type StaffRole = z.infer<typeof staffRole>

/** Someone named: a member of staff, or the user a conversation is with. */
export const personRef = z.object({ id: z.string(), displayName: z.string() })
export type PersonRef = z.infer<typeof personRef>

/** The signed-in member of staff, as sign-in answers it. */
export const staffIdentity = personRef.extend({ email: z.string(), role: staffRole, capacity: z.number().int() })
export type StaffIdentity = z.infer<typeof staffIdentity>

/** `POST /api/auth/login`. */
export const loginResponse = z.object({ token: z.string(), expiresAt: z.string(), staff: staffIdentity })
export type LoginResponse = z.infer<typeof loginResponse>

/** `GET /api/me`: who is signed in, whether they take conversations now, and their teams. */
export const meResponse = staffIdentity.extend({
  available: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
})
export type MeResponse = z.infer<typeof meResponse>

/** A conversation as the inbox lists it. */
export const conversationSummary = z.object({
  id: z.string(),
  state: conversationState,
  bot: z.object({ id: z.string(), name: z.string() }),
  /** `kind`: `wechat_group`, `wechat_private`, `miniprogram`, `api`, or a channel added since. */
  channel: z.object({ kind: z.string(), title: z.string().nullable() }),
  user: personRef.nullable(),
  assignee: personRef.nullable(),
  teamId: z.string().nullable(),
  lastMessage: z.object({ text: z.string(), role: messageRole, at: z.string() }).nullable(),
  lastMessageAt: z.string(),
  handoffAt: z.string().nullable(),
  handoffReason: z.string().nullable(),
  rating: z.number().int().nullable(),
})
export type ConversationSummary = z.infer<typeof conversationSummary>

export const inboxCounts = z.object({ waiting: z.number().int(), mine: z.number().int(), all: z.number().int() })
export type InboxCounts = z.infer<typeof inboxCounts>

/** `GET /api/conversations`. */
export const inboxResponse = z.object({ conversations: z.array(conversationSummary), counts: inboxCounts })
export type InboxResponse = z.infer<typeof inboxResponse>

/** A state change: who made it (`type` user, bot, staff or system; a member of staff's `name`) and why. */
export const conversationEvent = z.object({
  fromState: conversationState,
  toState: conversationState,
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  reason: z.string(),
  at: z.string(),
})
export type ConversationEvent = z.infer<typeof conversationEvent>

/** A message as staff read it: `author` is the user's or the agent's name. */
export const conversationMessage = z.object({
  id: z.string(),
  role: messageRole,
  text: z.string(),
  status: z.string(),
  /** Why the channel refused the message for good (status `undeliverable`): a reason code. */
  undeliverable: z.string().nullable(),
  at: z.string(),
  author: z.string().nullable(),
  /** The tools the bot called while writing this reply (`meta.toolCalls`), shown collapsed in the console. */
  toolCalls: z.array(recordedToolCall).optional(),
})
export type ConversationMessage = z.infer<typeof conversationMessage>

/** The whole conversation: its summary, the handoff summary (and who wrote it), events and latest messages. */
export const conversationDetail = conversationSummary.extend({
  summary: z.string().nullable(),
  summarySource: z.enum(['model', 'extractive']).nullable(),
  createdAt: z.string(),
  events: z.array(conversationEvent),
  messages: z.array(conversationMessage),
})
export type ConversationDetail = z.infer<typeof conversationDetail>

/** `GET /api/conversations/:id`. */
export const conversationResponse = z.object({ conversation: conversationDetail })
export type ConversationResponse = z.infer<typeof conversationResponse>

/** Claim, release, resolve and transfer: the conversation as it is now. */
export const conversationSummaryResponse = z.object({ conversation: conversationSummary })
export type ConversationSummaryResponse = z.infer<typeof conversationSummaryResponse>

/** `POST /api/conversations/:id/messages` and `…/notes`: what was stored. */
export const postedMessageResponse = z.object({
  message: z.object({ id: z.string(), role: z.enum(['agent', 'note']), text: z.string(), at: z.string() }),
})
export type PostedMessageResponse = z.infer<typeof postedMessageResponse>

/** `POST /api/conversations/:id/suggestions`: the model's replies, or (no model) the knowledge base's with their sources. */
export const suggestionsResponse = z.object({
  suggestions: z.array(z.string()),
  source: z.enum(['model', 'knowledge']),
  /** Replies from the knowledge base only: where each comes from, in the same order. */
  sources: z.array(z.object({ document: z.string(), question: z.string().nullable() })).optional(),
  /** No model is configured, and the knowledge base has nothing for the user's questions. */
  needsModel: z.boolean().optional(),
})
export type SuggestionsResponse = z.infer<typeof suggestionsResponse>

/** `POST /api/conversations/:id/summary`. */
export const summaryResponse = z.object({ summary: z.string(), source: z.enum(['model', 'extractive']) })
export type SummaryResponse = z.infer<typeof summaryResponse>

/** A colleague (admins see every account, disabled ones too); `online` while their console is open. */
export const staffMember = staffIdentity.extend({ disabled: z.boolean(), teamIds: z.array(z.string()) })
export type StaffMember = z.infer<typeof staffMember>

/** `GET /api/staff`. */
export const staffListResponse = z.object({ staff: z.array(staffMember.extend({ online: z.boolean() })) })
export type StaffListResponse = z.infer<typeof staffListResponse>

export const teamView = z.object({ id: z.string(), name: z.string(), botIds: z.array(z.string()), memberIds: z.array(z.string()) })
export type TeamView = z.infer<typeof teamView>

/** `GET /api/teams`. */
export const teamListResponse = z.object({ teams: z.array(teamView) })
export type TeamListResponse = z.infer<typeof teamListResponse>

export const cannedResponse = z.object({ id: z.string(), shortcut: z.string(), text: z.string() })
export type CannedResponse = z.infer<typeof cannedResponse>

/** `GET /api/canned-responses`. */
export const cannedResponseList = z.object({ cannedResponses: z.array(cannedResponse) })
export type CannedResponseList = z.infer<typeof cannedResponseList>

// The live stream (`GET /api/events`): each event's data, by its name.
export const liveConversationEvent = z.object({
  id: z.string(),
  state: conversationState,
  assigneeId: z.string().nullable(),
  botId: z.string(),
  teamId: z.string().nullable(),
})
export type LiveConversationEvent = z.infer<typeof liveConversationEvent>
export const liveMessageEvent = z.object({ conversationId: z.string(), id: z.string(), role: messageRole, botId: z.string() })
export type LiveMessageEvent = z.infer<typeof liveMessageEvent>
export const liveTypingEvent = z.object({ conversationId: z.string(), staffId: z.string(), botId: z.string() })
export type LiveTypingEvent = z.infer<typeof liveTypingEvent>

/** One event of the live stream, as `{ type, data }`. */
export const liveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation'), data: liveConversationEvent }),
  z.object({ type: z.literal('message'), data: liveMessageEvent }),
  z.object({ type: z.literal('typing'), data: liveTypingEvent }),
  z.object({ type: z.literal('ping'), data: z.unknown() }),
])
export type LiveEvent = z.infer<typeof liveEvent>
