import { z } from 'zod'
import { chatCompletionRequest, openAIChoice, openAIChunkChoice } from './openai.js'
import { recordedToolCall } from './tools-api.js'

export const chatRole = z.enum(['system', 'user', 'assistant'])

/** A piece of a multimodal message: text, or an image (an https or data: URL) for vision models. */
export const contentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(200_000) }),
  z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().max(8_000_000) }) }),
])
export type ContentPart = z.infer<typeof contentPart>

export const chatMessage = z.object({
  role: chatRole,
  content: z.union([z.string().max(200_000), z.array(contentPart).min(1).max(20)]),
})
export type ChatMessage = z.infer<typeof chatMessage>

/** The text of a message's content (images left out). */
export function textOf(content: ChatMessage['content']): string {
  return typeof content === 'string' ? content : content.map((part) => (part.type === 'text' ? part.text : '')).join('')
}

/** How many images a message's content carries. */
export function imagesIn(content: ChatMessage['content']): number {
  return typeof content === 'string' ? 0 : content.filter((part) => part.type === 'image_url').length
}

/** Where a prompt came from; the worker stores and routes the reply with it. */
export const promptOrigin = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conversation'),
    conversationId: z.string(),
    /** The inbound message this prompt answers (as a decimal string: it is a bigint). */
    messageId: z.string().regex(/^\d+$/),
    channelKind: z.enum(['wechat_group', 'wechat_private', 'miniprogram', 'api', 'wecom_kf']),
    botId: z.string(),
  }),
  z.object({
    kind: z.literal('api'),
    apiKeyId: z.string(),
    /** Answered as this bot answers, its tools included (the panel's test chat); `language`: the bot's. */
    asBot: z.object({ id: z.string(), language: z.enum(['zh', 'en']) }).optional(),
  }),
])
export type PromptOrigin = z.infer<typeof promptOrigin>

/**
 * Scheduling classes, most urgent first (agent assist before a group chat reply); `batch` (a
 * comparison of models) runs only when no customer's prompt waits.
 */
export const priorityClass = z.enum(['agent_assist', 'customer_service', 'private_chat', 'api', 'group_chat', 'batch'])
export type PriorityClass = z.infer<typeof priorityClass>

/** How the pool routes and orders a prompt. */
export const promptRouting = z.object({
  /** Prompts with the same key run one at a time, in order, on the replica that served the last one. */
  conversationKey: z.string().max(200).optional(),
  /** Fairness is kept between these keys (a group, a tenant, an API key). */
  fairnessKey: z.string().max(200).optional(),
  priorityClass: priorityClass.default('group_chat'),
})
export type PromptRouting = z.infer<typeof promptRouting>

/** The payload of a job in the prompt queue; validated when queued and when processed. */
/** A knowledge-base passage or FAQ entry retrieved for a prompt (the engine answers from it). */
export const knowledgeSource = z.object({
  document: z.string().max(500),
  text: z.string().max(20_000),
  kind: z.enum(['passage', 'faq']),
  answer: z.string().max(20_000).nullish(),
  score: z.number(),
  part: z.number().int().min(0).max(9).optional(),
})

export const promptJob = z.object({
  origin: promptOrigin,
  /** The prompt itself for API requests; conversation prompts are built from history when the job starts. */
  messages: z.array(chatMessage).max(1000).default([]),
  /**
   * A `/v1` chat completion as the client sent it (tool calls, content parts, every parameter):
   * an OpenAI-compatible engine passes it on unchanged, any other honours it or refuses it.
   * `messages` above is its text and images, for the rest of the pool.
   */
  openai: chatCompletionRequest.optional(),
  /** API requests answered from a bot's knowledge (the panel's test chat): the sources, already retrieved. */
  sources: z.array(knowledgeSource).max(20).optional(),
  maxTokens: z.number().int().min(1).max(32_768),
  temperature: z.number().min(0).max(2).optional(),
  /** Requested model name; empty means the pool's default. */
  model: z.string().max(256).default(''),
  enqueuedAt: z.number().int(),
  routing: promptRouting.default({ priorityClass: 'group_chat' }),
  /** Which try this is; a failed try is re-dispatched to another replica. */
  attempt: z.number().int().min(0).max(10).default(0),
  /** Replicas that already failed this prompt. */
  avoidReplicas: z.array(z.string()).max(10).default([]),
  /**
   * Someone reads the reply as it is written (`/v1`, the mini-program, the panel's test chat,
   * agent assist): the worker writes it to the prompt's reply stream. Without a reader (a WeChat
   * chat: the bot sends the stored reply) no stream is written.
   */
  replyStream: z.boolean().default(true),
})
export type PromptJob = z.infer<typeof promptJob>
export type PromptJobInput = z.input<typeof promptJob>

/** What a reply stream carries, in order: deltas, then exactly one `done` or `error`. */
export const replyEvent = z.discriminatedUnion('type', [
  /** `at`: where `text` starts in the answer, so a reader can tell a delta was lost (Redis restarting). */
  z.object({
    type: z.literal('delta'),
    text: z.string(),
    at: z.number().int().nonnegative().optional(),
    /** A `/v1` passthrough's chunks as the server streamed them (each chunk's choices), in order: tool-call deltas and all. */
    chunks: z.array(z.array(openAIChunkChoice)).optional(),
  }),
  z.object({
    type: z.literal('done'),
    text: z.string(),
    completionTokens: z.number().int(),
    promptTokens: z.number().int(),
    finishReason: z.string(),
    /** The documents the answer cites, when the engine says (the knowledge answerer cites the entry it used). */
    cited: z.array(z.string()).max(20).optional(),
    /** A `/v1` passthrough's finished choices (tool calls, refusals, log probabilities, `n` of them). */
    choices: z.array(openAIChoice).optional(),
    /** The tools a bot called for the answer (its tool loop). */
    toolCalls: z.array(recordedToolCall).max(100).optional(),
  }),
  /** `param`: the request parameter the engine refused (the API answers 400 naming it). */
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), param: z.string().nullish() }),
  /** The try so far failed and the prompt goes to another replica: forget the deltas so far. */
  z.object({ type: z.literal('retry') }),
])
export type ReplyEvent = z.infer<typeof replyEvent>
