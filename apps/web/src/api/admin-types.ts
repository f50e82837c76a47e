// The admin API's shapes (docs/admin-api.md and the route files under apps/api/src/features).
import type { ConversationState, StaffRole } from './types.js'

export type WordList = string[]

export interface BusinessHours {
  timezone: string
  /** 0 = Sunday. */
  days: number[]
  /** HH:MM */
  start: string
  end: string
}

/** A bot's settings with every default filled in (packages/protocol/src/bot-settings.ts). */
export interface BotSettings {
  trigger: { mention: boolean; prefixes: WordList; keywords: WordList; quotes: boolean }
  groups: { allow: WordList; deny: WordList }
  privateChats: boolean
  ignore: WordList
  sessionScope: 'member' | 'group'
  contextExpiryMinutes: number
  groupPersonas: Record<string, string>
  language: 'zh' | 'en'
  reply: { maxChars: number; partDelayMs: number; thinkingNoticeMs: number }
  media: { images: 'vision' | 'reply' | 'ignore'; other: 'reply' | 'ignore' }
  blockedWords: WordList
  outgoing: { perGroupPerMinute: number; perAccountPerMinute: number; jitterMs: number }
  invitations: { friends: 'accept' | 'ignore'; groups: 'accept' | 'ignore' }
  knowledge: { minScore: number; topK: number; synonyms: string[][] }
  retentionDays: number
  handoff: { keywords: WordList; failuresBeforeHandoff: number; businessHours: BusinessHours | null }
}

export interface NamedRef {
  id: string
  name: string
}

export interface Bot {
  id: string
  name: string
  persona: string
  enabled: boolean
  settings: BotSettings
  modelEndpoint: NamedRef | null
  teams: NamedRef[]
  conversations: number
  channels: number
  createdAt: string
  updatedAt: string
}

export interface BotPatch {
  name?: string
  persona?: string
  enabled?: boolean
  settings?: Partial<BotSettings>
  modelEndpointId?: string | null
}

export interface ChatTurn {
  role: 'user' | 'assistant'
  content: string
}

export interface TestChatReply {
  reply: string
  usage: { promptTokens: number; completionTokens: number }
}

export type WeChatStatusKind = 'logged_in' | 'scan_qr' | 'offline'

/** `GET /api/bots/:id/wechat`. */
export interface WeChatStatus {
  status: WeChatStatusKind
  account: { name?: string; since?: number } | null
  qr: { url?: string; status?: number | string; at?: number; image?: string } | null
}

export interface KnowledgeDocument {
  id: string
  title: string
  format: string
  chunkCount: number
  createdAt: string
  updatedAt: string
}

export interface KnowledgeHit {
  document: string
  heading: string | null
  text: string
  kind: string
  score: number
}

/** Questions the bot could not answer, grouped by similar wording (the knowledge page's learning list). */
export interface UnansweredGroup {
  question: string
  count: number
  examples: string[]
  lastAt: string
  outcome: 'nothing_found' | 'asked_back'
}

export interface FaqQuestion {
  question: string
  document: string
}

export interface SimilarQuestion {
  id: string
  faqQuestion: string
  similar: string
  createdAt: string
}

export type EndpointKind = 'openai' | 'gguf'

/** What the endpoint form sends (create, change and "Test connection"). */
export interface ModelEndpointInput {
  name: string
  kind: EndpointKind
  baseUrl: string | null
  model: string | null
  apiKeyVariable: string | null
  ggufPath: string | null
  replicas: number
  concurrency: number
  leavesNetwork: boolean
  enabled: boolean
}

export interface LiveReplica {
  id: string
  down: boolean
  inFlight: number
  capacity: number
}

export interface ModelEndpoint extends ModelEndpointInput {
  id: string
  bots: NamedRef[]
  liveReplicas: LiveReplica[]
  createdAt: string
  updatedAt: string
}

export type ConnectionResult =
  { ok: true; latencyMs: number; models: string[]; note?: string } | { ok: false; latencyMs: number; error: string }

export interface Histogram {
  /** Cumulative counts per upper bound (seconds), as Prometheus keeps them. */
  buckets: { le: number; count: number }[]
  count: number
  sum: number
}

export interface PoolReplica {
  id: string
  model: string
  engine: string
  up: boolean
  capacity: number
  inFlight: number
  queued: number
}

/** `GET /api/pool`: the pool now; counters and histograms are cumulative. */
export interface PoolSnapshot {
  at: number
  /** Prompts waiting while no replica of their model is live. */
  unrouted?: number
  /** Finished prompts by outcome (completed, cancelled, retried, failed, …). */
  prompts: Record<string, number>
  completionTokens: number
  rejections: number
  histograms: Record<string, Histogram>
  workers: number
  replicas: PoolReplica[]
}

export interface HandoffFigures {
  name: string
  conversations: number
  handoffs: number
  handoffRate: number
  firstResponseSeconds: number | null
  resolutionSeconds: number | null
  rating: number | null
  ratings: number
}

/** `GET /api/stats/handoff`. */
export interface HandoffStats {
  bots: HandoffFigures[]
  agents: HandoffFigures[]
}

/** The admin search's filters (also the export's). */
export interface ConversationFilters {
  q?: string
  user?: string
  group?: string
  botId?: string
  state?: ConversationState | 'all'
  from?: string
  to?: string
}

export interface StaffAccount {
  id: string
  email: string
  displayName: string
  role: StaffRole
  capacity: number
  disabled: boolean
  teamIds: string[]
  online?: boolean
}

export interface NewStaff {
  email: string
  displayName: string
  password: string
  role: StaffRole
  capacity: number
  teamIds: string[]
}

export type StaffPatch = Partial<Pick<StaffAccount, 'displayName' | 'role' | 'capacity' | 'disabled' | 'teamIds'>>

export interface TeamDetail {
  id: string
  name: string
  botIds: string[]
  memberIds: string[]
}

export interface TeamInput {
  name: string
  botIds: string[]
  memberIds: string[]
}

export interface ApiKey {
  id: string
  name: string
  prefix: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  createdBy: { id: string; displayName: string } | null
}

export interface AuditQuery {
  actor?: string
  action?: string
  targetType?: string
  from?: string
  to?: string
  before?: string
  limit?: number
}

export interface AuditEntry {
  id: string
  at: string
  actor: { type: string; id: string | null; name: string | null }
  action: string
  target: { type: string; id: string | null }
  data: unknown
}

export interface AuditPage {
  entries: AuditEntry[]
  hasMore: boolean
}
