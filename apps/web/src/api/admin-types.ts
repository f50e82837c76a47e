// The admin API's shapes (docs/admin-api.md and the route files under apps/api/src/features).
import type {
  ApiKeyView,
  auditQuery,
  BotSettings,
  BotView,
  createStaffBody,
  FaqQuestionList,
  HandoffStatsResponse,
  HistogramSnapshot,
  KnowledgeDocumentView,
  KnowledgeHitView,
  mcpServerCreateBody,
  McpServerView,
  mcpServerUpdateBody,
  ModelEndpointInput,
  ModelEndpointView,
  PoolReading,
  SimilarQuestionView,
  StaffListResponse,
  staffPatchBody,
  teamBody,
  TeamView,
  testChatBody,
  TestChatResponse,
  UnansweredGroupView,
  updateBotBody,
  WeChatStatusResponse,
  WeComAccountView,
  WeComStatusView,
} from '@chorus/protocol'
import type { z } from 'zod'

// A bot's settings are the server's own schema's (every default filled in).
export type { BotSettings, BusinessHours } from '@chorus/protocol'

export type Bot = BotView

/** A change to a bot: its settings by whole top-level sections. */
export type BotPatch = Omit<z.input<typeof updateBotBody>, 'settings'> & { settings?: Partial<BotSettings> }

export type ChatTurn = z.input<typeof testChatBody>['messages'][number]

export type TestChatReply = TestChatResponse

/** `GET /api/bots/:id/wechat`. */
export type WeChatStatus = WeChatStatusResponse
export type WeChatStatusKind = WeChatStatus['status']

export type KnowledgeDocument = KnowledgeDocumentView
export type KnowledgeHit = KnowledgeHitView
/** Questions the bot could not answer, grouped by similar wording (the knowledge page's learning list). */
export type UnansweredGroup = UnansweredGroupView
export type FaqQuestion = FaqQuestionList['questions'][number]
export type SimilarQuestion = SimilarQuestionView

/** What the endpoint form sends (create, change and "Test connection"). */
export type { ModelEndpointInput } from '@chorus/protocol'
export type EndpointKind = ModelEndpointInput['kind']

export type ModelEndpoint = ModelEndpointView
export type { ConnectionResult } from '@chorus/protocol'

export type { HandoffFigures, PoolReplica } from '@chorus/protocol'
export type Histogram = HistogramSnapshot
/** `GET /api/pool`: the pool now; counters and histograms are cumulative. */
export type PoolSnapshot = PoolReading
export type HandoffStats = HandoffStatsResponse

/** The admin search's filters (also the export's). */
export type { ConversationFilters } from '@chorus/protocol'

/** A member of staff as `GET /api/staff` lists them (an admin sees every account). */
export type StaffAccount = StaffListResponse['staff'][number]

export type NewStaff = z.input<typeof createStaffBody>
export type StaffPatch = z.input<typeof staffPatchBody>

export type TeamDetail = TeamView

export type TeamInput = z.input<typeof teamBody>

export type ApiKey = ApiKeyView

/** The audit log's filters as the panel sends them (the server's query schema, numbers as numbers). */
export type AuditQuery = Omit<z.input<typeof auditQuery>, 'limit'> & { limit?: number }

export type { AuditEntry, AuditPage } from '@chorus/protocol'

/** A 微信客服 account (GET /api/wecom): the bot that answers it and how its last pull went. */
export type WeComAccount = WeComAccountView

/** WeCom customer service's status: configured, its access token, its accounts. */
export type WeComStatus = WeComStatusView

/** An MCP server connected to a bot: header names only, its tools, the allowed ones. */
export type McpServer = McpServerView
export type McpServerInput = z.input<typeof mcpServerCreateBody>
export type McpServerPatch = z.input<typeof mcpServerUpdateBody>
export type { McpToolInfo, RecordedToolCall, ToolCallStatus } from '@chorus/protocol'
