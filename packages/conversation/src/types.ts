import type { ChannelKind } from '@chorus/db'

/** A message as a channel received it, before Chorus has seen it. */
export interface InboundMessage {
  botId: string
  channel: { kind: ChannelKind; externalId: string; title?: string }
  sender: { platform: string; platformId: string; displayName: string }
  /** The channel's own id; a second message with the same id is a re-delivery. */
  platformMessageId: string
  text: string
  /** The bot was addressed (mentioned in a group, or any private message). */
  addressed: boolean
  /** Per-member sessions inside a group (default) or one session for the whole group. */
  scope?: 'member' | 'group'
  /** Channel-specific facts kept with the message (quote, media type, …). */
  meta?: Record<string, unknown>
}

export type IngestOutcome =
  | { kind: 'queued'; messageId: bigint; conversationId: string; jobId: string }
  | { kind: 'ignored'; messageId: bigint; conversationId: string; reason: string }
  | { kind: 'duplicate'; messageId: bigint; conversationId: string }
  /** The pool refused the prompt early (its queue is too long); the user is told to retry. */
  | { kind: 'busy'; messageId: bigint; conversationId: string; retryAfterSeconds: number }

/** A stored reply ready to be sent through its channel. */
export interface Delivery {
  replyId: bigint
  conversationId: string
  text: string
  channel: { kind: ChannelKind; externalId: string; title: string }
  /** The person whose message this answers, to mention in a group. */
  asker: { platformId: string; displayName: string } | null
}
