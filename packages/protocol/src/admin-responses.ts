import { z } from 'zod'
import { botSettings } from './bot-settings.js'
import { mcpServerView, recordedToolCall } from './tools-api.js'

// What the admin API answers (docs/admin-api.md), beside its requests in admin-api.ts and
// staff-api.ts: the routes build their answers as these types and the web panel reads them as
// these schemas.

/** A cumulative histogram, as Prometheus keeps one: counts per upper bound (seconds). */
export const histogramSnapshot = z.object({
  buckets: z.array(z.object({ le: z.number(), count: z.number() })),
  count: z.number(),
  sum: z.number(),
})
export type HistogramSnapshot = z.infer<typeof histogramSnapshot>

export const poolReplica = z.object({
  id: z.string(),
  model: z.string(),
  engine: z.string(),
  up: z.boolean(),
  capacity: z.number().int(),
  inFlight: z.number().int(),
  queued: z.number().int(),
})
export type PoolReplica = z.infer<typeof poolReplica>

/** `GET /api/pool`: the pool now; its counters and histograms are cumulative. */
export const poolReading = z.object({
  at: z.number(),
  /** Finished prompts by outcome (completed, cancelled, retried, failed, …). */
  prompts: z.record(z.string(), z.number()),
  completionTokens: z.number(),
  rejections: z.number(),
  histograms: z.record(z.string(), histogramSnapshot),
  workers: z.number().int(),
  replicas: z.array(poolReplica),
  /** Prompts waiting while no replica of their model is live. */
  unrouted: z.number().int(),
})
export type PoolReading = z.infer<typeof poolReading>

/** `GET /api/pool/history`: the readings of the last five minutes, oldest first. */
export const poolHistoryResponse = z.object({ samples: z.array(poolReading) })
export type PoolHistoryResponse = z.infer<typeof poolHistoryResponse>

/** One bot's or agent's handoff figures; the means are null without anything to average. */
export const handoffFigures = z.object({
  name: z.string(),
  conversations: z.number().int(),
  handoffs: z.number().int(),
  handoffRate: z.number(),
  firstResponseSeconds: z.number().nullable(),
  resolutionSeconds: z.number().nullable(),
  rating: z.number().nullable(),
  ratings: z.number().int(),
})
export type HandoffFigures = z.infer<typeof handoffFigures>

/** `GET /api/stats/handoff`. */
export const handoffStatsResponse = z.object({ bots: z.array(handoffFigures), agents: z.array(handoffFigures) })
export type HandoffStatsResponse = z.infer<typeof handoffStatsResponse>

/** A `/v1` key as listed: never the key itself, which is shown once, when it is created. */
export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
})
export type ApiKeyView = z.infer<typeof apiKeyView>

/** `GET /api/api-keys`. */
export const apiKeyListResponse = z.object({ apiKeys: z.array(apiKeyView) })
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponse>

/** `POST /api/api-keys`: the key, this once. */
export const createdApiKeyResponse = z.object({ apiKey: apiKeyView, key: z.string() })
export type CreatedApiKeyResponse = z.infer<typeof createdApiKeyResponse>

export const auditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  data: z.unknown(),
})
export type AuditEntry = z.infer<typeof auditEntry>

/** `GET /api/audit`: a page of entries, newest first. */
export const auditPage = z.object({ entries: z.array(auditEntry), hasMore: z.boolean() })
export type AuditPage = z.infer<typeof auditPage>

/** A model endpoint with the bots using it and its replicas live now. */
export const modelEndpointView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['openai', 'gguf']),
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  apiKeyVariable: z.string().nullable(),
  ggufPath: z.string().nullable(),
  replicas: z.number().int(),
  concurrency: z.number().int(),
  leavesNetwork: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  bots: z.array(z.object({ id: z.string(), name: z.string() })),
  liveReplicas: z.array(z.object({ id: z.string(), down: z.boolean(), inFlight: z.number().int(), capacity: z.number().int() })),
})
export type ModelEndpointView = z.infer<typeof modelEndpointView>

/** `GET /api/model-endpoints`. */
export const modelEndpointListResponse = z.object({ modelEndpoints: z.array(modelEndpointView) })
export type ModelEndpointListResponse = z.infer<typeof modelEndpointListResponse>

/** `POST /api/model-endpoints`, `PATCH /api/model-endpoints/:id`. */
export const modelEndpointResponse = z.object({ modelEndpoint: modelEndpointView })
export type ModelEndpointResponse = z.infer<typeof modelEndpointResponse>

/** "Test connection": the models the endpoint serves, or why it could not be reached. */
export const connectionResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), latencyMs: z.number(), models: z.array(z.string()), note: z.string().optional() }),
  z.object({ ok: z.literal(false), latencyMs: z.number(), error: z.string() }),
])
export type ConnectionResult = z.infer<typeof connectionResult>

const namedRef = z.object({ id: z.string(), name: z.string() })

/** A bot as the panel shows it: settings with every default filled in. */
export const botView = z.object({
  id: z.string(),
  name: z.string(),
  persona: z.string(),
  enabled: z.boolean(),
  settings: botSettings,
  modelEndpoint: namedRef.nullable(),
  teams: z.array(namedRef),
  conversations: z.number().int(),
  channels: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type BotView = z.infer<typeof botView>

/** `GET /api/bots`. */
export const botListResponse = z.object({ bots: z.array(botView) })
export type BotListResponse = z.infer<typeof botListResponse>

/** `GET /api/bots/:id`, `POST /api/bots`, `PATCH /api/bots/:id`. */
export const botResponse = z.object({ bot: botView })
export type BotResponse = z.infer<typeof botResponse>

/**
 * `POST /api/bots/:id/test-chat`: the bot's answer, the tokens it took (none from the knowledge
 * base alone), and the tools it called for it.
 */
export const testChatResponse = z.object({
  reply: z.string(),
  usage: z.object({ promptTokens: z.number().int(), completionTokens: z.number().int() }),
  toolCalls: z.array(recordedToolCall).optional(),
})
export type TestChatResponse = z.infer<typeof testChatResponse>

export const knowledgeDocumentView = z.object({
  id: z.string(),
  title: z.string(),
  format: z.string(),
  chunkCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type KnowledgeDocumentView = z.infer<typeof knowledgeDocumentView>

/** `GET /api/bots/:id/knowledge/documents`. */
export const knowledgeDocumentList = z.object({ documents: z.array(knowledgeDocumentView) })
export type KnowledgeDocumentList = z.infer<typeof knowledgeDocumentList>

/** A document learned (pasted, uploaded, or an FAQ entry added): its title and how many chunks it made. */
export const addedDocumentResponse = z.object({ id: z.string(), title: z.string(), chunks: z.number().int() })
export type AddedDocumentResponse = z.infer<typeof addedDocumentResponse>

/** A passage or FAQ entry a question finds; `heading` is its heading path ('' for an FAQ entry). */
export const knowledgeHitView = z.object({
  document: z.string(),
  heading: z.string(),
  text: z.string(),
  kind: z.enum(['passage', 'faq']),
  score: z.number(),
})
export type KnowledgeHitView = z.infer<typeof knowledgeHitView>

/** `GET /api/bots/:id/knowledge/search`. */
export const knowledgeSearchResponse = z.object({ hits: z.array(knowledgeHitView) })
export type KnowledgeSearchResponse = z.infer<typeof knowledgeSearchResponse>

/** Questions the bot could not answer, asked alike, counted. */
export const unansweredGroupView = z.object({
  question: z.string(),
  count: z.number().int(),
  examples: z.array(z.string()),
  lastAt: z.string(),
  outcome: z.enum(['nothing_found', 'asked_back']),
})
export type UnansweredGroupView = z.infer<typeof unansweredGroupView>

/** `GET /api/bots/:id/knowledge/unanswered`. */
export const unansweredResponse = z.object({ groups: z.array(unansweredGroupView) })
export type UnansweredResponse = z.infer<typeof unansweredResponse>

/** `GET /api/bots/:id/knowledge/faq-questions`: each FAQ entry's question, with its document's title. */
export const faqQuestionList = z.object({ questions: z.array(z.object({ question: z.string(), document: z.string() })) })
export type FaqQuestionList = z.infer<typeof faqQuestionList>

export const similarQuestionView = z.object({ id: z.string(), faqQuestion: z.string(), similar: z.string(), createdAt: z.string() })
export type SimilarQuestionView = z.infer<typeof similarQuestionView>

/** `GET /api/bots/:id/knowledge/similar-questions`. */
export const similarQuestionList = z.object({ items: z.array(similarQuestionView) })
export type SimilarQuestionList = z.infer<typeof similarQuestionList>

/** `POST /api/bots/:id/knowledge/similar-questions`. */
export const addedSimilarQuestionResponse = z.object({ id: z.string() })
export type AddedSimilarQuestionResponse = z.infer<typeof addedSimilarQuestionResponse>

/** `POST /api/bots/:id/knowledge/faq-entries`: the document it went into. */
export const addedFaqEntryResponse = z.object({ document: z.string(), question: z.string() })
export type AddedFaqEntryResponse = z.infer<typeof addedFaqEntryResponse>

/** What the bot process keeps of its WeChat login while a QR code waits to be scanned. */
export const weChatLogin = z.object({ url: z.string(), status: z.union([z.number(), z.string()]), at: z.number() })
/** The WeChat account the bot process is logged in as, and since when (ms). */
export const weChatAccount = z.object({ name: z.string(), since: z.number() })

/** `GET /api/bots/:id/wechat`: logged in as whom, or the QR code to scan (drawn as a data: URL, `image`). */
export const weChatStatusResponse = z.object({
  status: z.enum(['logged_in', 'scan_qr', 'offline']),
  account: weChatAccount.nullable(),
  qr: weChatLogin.extend({ image: z.string() }).nullable(),
})
export type WeChatStatusResponse = z.infer<typeof weChatStatusResponse>

/** `GET /api/bots/:botId/mcp-servers`: the bot's MCP servers, oldest first (each answer of the other MCP server routes is one `mcpServerView`). */
export const mcpServerListResponse = z.array(mcpServerView)
export type McpServerListResponse = z.infer<typeof mcpServerListResponse>
