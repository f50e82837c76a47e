import { z } from 'zod'

export const chatRole = z.enum(['system', 'user', 'assistant'])

export const chatMessage = z.object({
  role: chatRole,
  content: z.string().max(200_000),
})
export type ChatMessage = z.infer<typeof chatMessage>

/** Where a prompt came from; the worker stores and routes the reply with it. */
export const promptOrigin = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conversation'),
    conversationId: z.string(),
    /** The inbound message this prompt answers (as a decimal string: it is a bigint). */
    messageId: z.string().regex(/^\d+$/),
    channelKind: z.enum(['wechat_group', 'wechat_private', 'miniprogram', 'api']),
    botId: z.string(),
  }),
  z.object({ kind: z.literal('api'), apiKeyId: z.string() }),
])
export type PromptOrigin = z.infer<typeof promptOrigin>

/** The payload of a job in the prompt queue; validated when queued and when processed. */
export const promptJob = z.object({
  origin: promptOrigin,
  messages: z.array(chatMessage).min(1).max(1000),
  maxTokens: z.number().int().min(1).max(32_768),
  temperature: z.number().min(0).max(2).optional(),
  /** Requested model name; empty means the pool's default. */
  model: z.string().max(256).default(''),
  enqueuedAt: z.number().int(),
})
export type PromptJob = z.infer<typeof promptJob>
export type PromptJobInput = z.input<typeof promptJob>

/** What a reply stream carries, in order: deltas, then exactly one `done` or `error`. */
export const replyEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({
    type: z.literal('done'),
    text: z.string(),
    completionTokens: z.number().int(),
    promptTokens: z.number().int(),
    finishReason: z.string(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
])
export type ReplyEvent = z.infer<typeof replyEvent>
