import type { AuditQuery, ConversationFilters } from './admin-types.js'
import type { InboxQuery } from './api-client.js'

/**
 * The cache keys of the server state the panel reads, in one place: a key is the route's path
 * with its parameters, so invalidating a prefix (`inbox`, `bots`) reloads everything under it.
 */
export const queryKeys = {
  me: ['me'] as const,
  health: ['healthz'] as const,
  inbox: ['inbox'] as const,
  inboxTab: (query: InboxQuery) => ['inbox', query] as const,
  conversations: ['conversations'] as const,
  conversation: (id: string) => ['conversations', id] as const,
  cannedResponses: ['canned-responses'] as const,
  /** Colleagues (online or not) and teams, as the console's transfer dialog lists them. */
  transferTargets: ['transfer-targets'] as const,
  staff: ['staff'] as const,
  teams: ['teams'] as const,
  bots: ['bots'] as const,
  bot: (id: string) => ['bots', id] as const,
  knowledge: (botId: string) => ['bots', botId, 'knowledge'] as const,
  knowledgeDocuments: (botId: string) => ['bots', botId, 'knowledge', 'documents'] as const,
  unansweredQuestions: (botId: string) => ['bots', botId, 'knowledge', 'unanswered'] as const,
  faqQuestions: (botId: string) => ['bots', botId, 'knowledge', 'faq-questions'] as const,
  similarQuestions: (botId: string) => ['bots', botId, 'knowledge', 'similar-questions'] as const,
  wechatStatus: (botId: string) => ['bots', botId, 'wechat'] as const,
  mcpServers: (botId: string) => ['bots', botId, 'mcp-servers'] as const,
  modelEndpoints: ['model-endpoints'] as const,
  pool: ['pool'] as const,
  handoffStats: ['stats', 'handoff'] as const,
  apiKeys: ['api-keys'] as const,
  weCom: ['wecom'] as const,
  conversationSearch: (filters: ConversationFilters, limit: number) => ['conversation-search', filters, limit] as const,
  audit: (query: AuditQuery) => ['audit', query] as const,
  trainingPairs: (status: string, botId: string) => ['training', 'pairs', status, botId] as const,
  datasets: ['training', 'datasets'] as const,
  comparisons: ['training', 'comparisons'] as const,
  comparison: (id: string) => ['training', 'comparisons', id] as const,
  /** The models the pool serves now, as the comparison form offers them (the pool page keeps its own history under `pool`). */
  servedModels: ['training', 'served-models'] as const,
}
