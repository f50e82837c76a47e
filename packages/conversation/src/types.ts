import type { ChannelKind } from '@chorus/db'

/** What kind of message a channel delivered. */
export type MessageKind = 'text' | 'image' | 'voice' | 'file' | 'link' | 'mini_program' | 'red_packet' | 'other'

/** A message as a channel received it, before Chorus has seen it. */
export interface InboundMessage {
  botId: string
  channel: { kind: ChannelKind; externalId: string; title?: string }
  sender: { platform: string; platformId: string; displayName: string }
  /** The channel's own id; a second message with the same id is a re-delivery. */
  platformMessageId: string
  /** The text, with mentions of the bot removed (a placeholder such as "[图片]" for media). */
  text: string
  kind?: MessageKind
  /** The bot was @mentioned (groups). */
  mentionedBot?: boolean
  /** The message quotes one of the bot's messages (groups). */
  quotedBot?: boolean
  /** Channel-specific facts kept with the message (quote, media details, …). */
  meta?: Record<string, unknown>
  /** A content-security verdict the channel obtained (mini-program msg_sec_check): risky is refused, review is flagged. */
  screening?: Screening
  /** An old message a channel replays after reconnecting: stored as history, never answered. */
  backlog?: boolean
  /** Fetches an image message's picture as a data: URL (only called for vision-capable bots). */
  loadImage?: () => Promise<string>
}

export type IngestOutcome =
  | { kind: 'queued'; messageId: bigint; conversationId: string; jobId: string }
  | { kind: 'ignored'; messageId: bigint; conversationId: string; reason: string }
  /** A person owns or awaits the conversation: stored for them, the bot stays silent. */
  | { kind: 'for_person'; messageId: bigint; conversationId: string }
  | { kind: 'duplicate'; messageId: bigint; conversationId: string }
  /** Chorus answered itself (a command, a refusal, media it cannot read). */
  | { kind: 'notice'; messageId: bigint; conversationId: string; notice: string }
  /** The prompt was refused early (rate limit or a full queue); the user is told to retry. */
  | { kind: 'busy'; messageId: bigint; conversationId: string; retryAfterSeconds: number }

/** A stored reply ready to be sent through its channel. */
export interface Delivery {
  replyId: bigint
  conversationId: string
  text: string
  /** A reply from the model (markdown to render), or a notice from Chorus itself. */
  role: 'assistant' | 'system' | 'agent'
  botId: string
  channel: { kind: ChannelKind; externalId: string; title: string }
  /** The person whose message this answers, to mention in a group. */
  asker: { platformId: string; displayName: string } | null
  /** An agent's reply is signed with their name. */
  signature?: string
}

/** A content-security check's verdict on a text, kept with the message. */
export interface Screening {
  verdict: 'pass' | 'review' | 'risky'
  /** The checker's category (WeChat: 100 normal, 20001 politics, …). */
  label: number
  /** Why the checker could not check the text (WeChat: `user_inactive`); such text passes. */
  unchecked?: string
}

/** Checks a model's reply before it is stored for a channel; null when the channel needs no check. */
export type ReplyScreen = (target: { conversationId: string; channelKind: ChannelKind }, text: string) => Promise<Screening | null>
