import {
  addedDocumentResponse,
  addedFaqEntryResponse,
  addedSimilarQuestionResponse,
  apiKeyListResponse,
  auditPage,
  botListResponse,
  botResponse,
  connectionResult,
  createdApiKeyResponse,
  faqQuestionList,
  handoffStatsResponse,
  inboxResponse,
  knowledgeDocumentList,
  knowledgeSearchResponse,
  mcpServerListResponse,
  mcpServerView,
  modelEndpointListResponse,
  modelEndpointResponse,
  poolHistoryResponse,
  poolReading,
  similarQuestionList,
  staffListResponse,
  teamListResponse,
  testChatResponse,
  unansweredResponse,
  weChatStatusResponse,
  type AddedDocumentResponse,
  type AddedFaqEntryResponse,
  type ConversationSummary,
} from '@chorus/protocol'
import type {
  ApiKey,
  AuditPage,
  AuditQuery,
  Bot,
  BotPatch,
  ChatTurn,
  ConnectionResult,
  ConversationFilters,
  FaqQuestion,
  HandoffStats,
  KnowledgeDocument,
  KnowledgeHit,
  McpServer,
  McpServerInput,
  McpServerPatch,
  ModelEndpoint,
  ModelEndpointInput,
  NewStaff,
  PoolSnapshot,
  SimilarQuestion,
  StaffAccount,
  StaffPatch,
  TeamDetail,
  TeamInput,
  TestChatReply,
  UnansweredGroup,
  WeChatStatus,
  WeComStatus,
} from './admin-types.js'
import { parsed, type ApiClient } from './api-client.js'

/** `?a=1&b=2` of the values given (empty ones left out), or nothing. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

const segment = encodeURIComponent

/** A file the API sent for download. */
export interface Download {
  blob: Blob
  filename: string
}

/** The file name a download's Content-Disposition gives, else `fallback`. */
export function filenameOf(res: Response, fallback: string): string {
  const disposition = res.headers.get('content-disposition') ?? ''
  return /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback
}

/** The admin panel's routes (bots, model endpoints, pool, people, keys, audit, search and export), on a signed-in ApiClient. */
export class AdminApi {
  constructor(private readonly api: ApiClient) {}

  // Bots

  async bots(): Promise<Bot[]> {
    return (await this.api.read(botListResponse, 'GET', '/api/bots')).bots
  }

  async bot(id: string): Promise<Bot> {
    return (await this.api.read(botResponse, 'GET', `/api/bots/${segment(id)}`)).bot
  }

  async createBot(body: { name: string; persona: string }): Promise<Bot> {
    return (await this.api.read(botResponse, 'POST', '/api/bots', body)).bot
  }

  async updateBot(id: string, patch: BotPatch): Promise<Bot> {
    return (await this.api.read(botResponse, 'PATCH', `/api/bots/${segment(id)}`, patch)).bot
  }

  testChat(id: string, messages: ChatTurn[], persona?: string): Promise<TestChatReply> {
    return this.api.read(testChatResponse, 'POST', `/api/bots/${segment(id)}/test-chat`, {
      messages,
      ...(persona === undefined ? {} : { persona }),
    })
  }

  weChat(id: string): Promise<WeChatStatus> {
    return this.api.read(weChatStatusResponse, 'GET', `/api/bots/${segment(id)}/wechat`)
  }

  // A bot's knowledge base

  async knowledgeDocuments(botId: string): Promise<KnowledgeDocument[]> {
    return (await this.api.read(knowledgeDocumentList, 'GET', `/api/bots/${segment(botId)}/knowledge/documents`)).documents
  }

  addKnowledgeText(botId: string, title: string, text: string): Promise<AddedDocumentResponse> {
    return this.api.read(addedDocumentResponse, 'POST', `/api/bots/${segment(botId)}/knowledge/documents`, { title, text })
  }

  async uploadKnowledgeFile(botId: string, file: File, title?: string): Promise<AddedDocumentResponse> {
    const form = new FormData()
    if (title) form.append('title', title)
    form.append('file', file, file.name)
    // No content-type header: the browser writes the multipart boundary itself.
    const res = await this.api.raw(`/api/bots/${segment(botId)}/knowledge/documents`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: form,
    })
    return parsed(addedDocumentResponse, await res.json(), res.url)
  }

  deleteKnowledgeDocument(botId: string, documentId: string): Promise<void> {
    return this.api.request('DELETE', `/api/bots/${segment(botId)}/knowledge/documents/${segment(documentId)}`)
  }

  async searchKnowledge(botId: string, q: string, k: number): Promise<KnowledgeHit[]> {
    return (await this.api.read(knowledgeSearchResponse, 'GET', `/api/bots/${segment(botId)}/knowledge/search${queryString({ q, k })}`))
      .hits
  }

  // Learning from what the bot could not answer

  async unansweredQuestions(botId: string, days = 30): Promise<UnansweredGroup[]> {
    return (await this.api.read(unansweredResponse, 'GET', `/api/bots/${segment(botId)}/knowledge/unanswered${queryString({ days })}`))
      .groups
  }

  async faqQuestions(botId: string): Promise<FaqQuestion[]> {
    return (await this.api.read(faqQuestionList, 'GET', `/api/bots/${segment(botId)}/knowledge/faq-questions`)).questions
  }

  async similarQuestions(botId: string): Promise<SimilarQuestion[]> {
    return (await this.api.read(similarQuestionList, 'GET', `/api/bots/${segment(botId)}/knowledge/similar-questions`)).items
  }

  addSimilarQuestion(botId: string, faqQuestion: string, similar: string): Promise<{ id: string }> {
    return this.api.read(addedSimilarQuestionResponse, 'POST', `/api/bots/${segment(botId)}/knowledge/similar-questions`, {
      faqQuestion,
      similar,
    })
  }

  deleteSimilarQuestion(botId: string, id: string): Promise<void> {
    return this.api.request('DELETE', `/api/bots/${segment(botId)}/knowledge/similar-questions/${segment(id)}`)
  }

  addFaqEntry(botId: string, question: string, answer: string): Promise<AddedFaqEntryResponse> {
    return this.api.read(addedFaqEntryResponse, 'POST', `/api/bots/${segment(botId)}/knowledge/faq-entries`, { question, answer })
  }

  // Model endpoints and the pool

  async modelEndpoints(): Promise<ModelEndpoint[]> {
    return (await this.api.read(modelEndpointListResponse, 'GET', '/api/model-endpoints')).modelEndpoints
  }

  async createModelEndpoint(body: ModelEndpointInput): Promise<ModelEndpoint> {
    return (await this.api.read(modelEndpointResponse, 'POST', '/api/model-endpoints', body)).modelEndpoint
  }

  async updateModelEndpoint(id: string, body: Partial<ModelEndpointInput>): Promise<ModelEndpoint> {
    return (await this.api.read(modelEndpointResponse, 'PATCH', `/api/model-endpoints/${segment(id)}`, body)).modelEndpoint
  }

  deleteModelEndpoint(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/model-endpoints/${segment(id)}`)
  }

  /** "Test connection" of the settings in the form (nothing saved). */
  testModelEndpoint(body: ModelEndpointInput): Promise<ConnectionResult> {
    return this.api.read(connectionResult, 'POST', '/api/model-endpoints/test', body)
  }

  testSavedModelEndpoint(id: string): Promise<ConnectionResult> {
    return this.api.read(connectionResult, 'POST', `/api/model-endpoints/${segment(id)}/test`, {})
  }

  pool(): Promise<PoolSnapshot> {
    return this.api.read(poolReading, 'GET', '/api/pool')
  }

  /** The API's readings of the pool over the last five minutes, oldest first. */
  async poolHistory(): Promise<PoolSnapshot[]> {
    return (await this.api.read(poolHistoryResponse, 'GET', '/api/pool/history')).samples
  }

  handoffStats(): Promise<HandoffStats> {
    return this.api.read(handoffStatsResponse, 'GET', '/api/stats/handoff')
  }

  // Conversations

  async searchConversations(filters: ConversationFilters, limit = 200): Promise<ConversationSummary[]> {
    const path = `/api/conversations${queryString({ ...filters, limit })}`
    return (await this.api.read(inboxResponse, 'GET', path)).conversations
  }

  /** The export as a file: fetched with the bearer token, which a plain link could not send. */
  async exportConversations(filters: ConversationFilters, format: 'csv' | 'json'): Promise<Download> {
    const res = await this.api.raw(`/api/conversations/export${queryString({ ...filters, format })}`)
    return { blob: await res.blob(), filename: filenameOf(res, `chorus-conversations.${format}`) }
  }

  // People

  async staff(): Promise<StaffAccount[]> {
    return (await this.api.read(staffListResponse, 'GET', '/api/staff')).staff
  }

  // The people page reloads the list after either, which says how the account is now.
  async createStaff(body: NewStaff): Promise<void> {
    await this.api.request('POST', '/api/staff', body)
  }

  async updateStaff(id: string, patch: StaffPatch): Promise<void> {
    await this.api.request('PATCH', `/api/staff/${segment(id)}`, patch)
  }

  async teams(): Promise<TeamDetail[]> {
    return (await this.api.read(teamListResponse, 'GET', '/api/teams')).teams
  }

  createTeam(body: TeamInput): Promise<unknown> {
    return this.api.request('POST', '/api/teams', body)
  }

  updateTeam(id: string, body: Partial<TeamInput>): Promise<unknown> {
    return this.api.request('PATCH', `/api/teams/${segment(id)}`, body)
  }

  deleteTeam(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/teams/${segment(id)}`)
  }

  // Keys for /v1 and the audit log

  async apiKeys(): Promise<ApiKey[]> {
    return (await this.api.read(apiKeyListResponse, 'GET', '/api/api-keys')).apiKeys
  }

  /** Creates a key; `key` is the secret itself, shown this once. */
  createApiKey(name: string): Promise<{ apiKey: ApiKey; key: string }> {
    return this.api.read(createdApiKeyResponse, 'POST', '/api/api-keys', { name })
  }

  revokeApiKey(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/api-keys/${segment(id)}`)
  }

  // WeCom customer service

  weCom(): Promise<WeComStatus> {
    return this.api.request('GET', '/api/wecom')
  }

  /** Links a 微信客服 account to the bot that answers it; null unlinks it. */
  linkWeComAccount(openKfId: string, botId: string | null): Promise<{ openKfId: string; botId: string | null }> {
    return this.api.request('PATCH', `/api/wecom/accounts/${segment(openKfId)}`, { botId })
  }

  // A bot's MCP servers (their tools)

  mcpServers(botId: string): Promise<McpServer[]> {
    return this.api.read(mcpServerListResponse, 'GET', `/api/bots/${segment(botId)}/mcp-servers`)
  }

  /** Connects a server; the API lists its tools at once (or records why it could not). */
  createMcpServer(botId: string, body: McpServerInput): Promise<McpServer> {
    return this.api.read(mcpServerView, 'POST', `/api/bots/${segment(botId)}/mcp-servers`, body)
  }

  updateMcpServer(id: string, patch: McpServerPatch): Promise<McpServer> {
    return this.api.read(mcpServerView, 'PATCH', `/api/mcp-servers/${segment(id)}`, patch)
  }

  refreshMcpServer(id: string): Promise<McpServer> {
    return this.api.read(mcpServerView, 'POST', `/api/mcp-servers/${segment(id)}/refresh`, {})
  }

  deleteMcpServer(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/mcp-servers/${segment(id)}`)
  }

  audit(query: AuditQuery): Promise<AuditPage> {
    return this.api.read(auditPage, 'GET', `/api/audit${queryString({ ...query })}`)
  }
}
