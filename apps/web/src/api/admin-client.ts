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
} from './admin-types.js'
import type { ApiClient } from './api-client.js'
import type { ConversationSummary } from './types.js'

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

function filenameOf(res: Response, fallback: string): string {
  const disposition = res.headers.get('content-disposition') ?? ''
  return /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback
}

/** The admin panel's routes (bots, model endpoints, pool, people, keys, audit, search and export), on a signed-in ApiClient. */
export class AdminApi {
  constructor(private readonly api: ApiClient) {}

  // Bots

  async bots(): Promise<Bot[]> {
    return (await this.api.request<{ bots: Bot[] }>('GET', '/api/bots')).bots
  }

  async bot(id: string): Promise<Bot> {
    return (await this.api.request<{ bot: Bot }>('GET', `/api/bots/${segment(id)}`)).bot
  }

  async createBot(body: { name: string; persona: string }): Promise<Bot> {
    return (await this.api.request<{ bot: Bot }>('POST', '/api/bots', body)).bot
  }

  async updateBot(id: string, patch: BotPatch): Promise<Bot> {
    return (await this.api.request<{ bot: Bot }>('PATCH', `/api/bots/${segment(id)}`, patch)).bot
  }

  testChat(id: string, messages: ChatTurn[], persona?: string): Promise<TestChatReply> {
    return this.api.request('POST', `/api/bots/${segment(id)}/test-chat`, { messages, ...(persona === undefined ? {} : { persona }) })
  }

  weChat(id: string): Promise<WeChatStatus> {
    return this.api.request('GET', `/api/bots/${segment(id)}/wechat`)
  }

  // A bot's knowledge base

  async knowledgeDocuments(botId: string): Promise<KnowledgeDocument[]> {
    return (await this.api.request<{ documents: KnowledgeDocument[] }>('GET', `/api/bots/${segment(botId)}/knowledge/documents`)).documents
  }

  addKnowledgeText(botId: string, title: string, text: string): Promise<{ id: string; title: string; chunks: number }> {
    return this.api.request('POST', `/api/bots/${segment(botId)}/knowledge/documents`, { title, text })
  }

  async uploadKnowledgeFile(botId: string, file: File, title?: string): Promise<{ id: string; title: string; chunks: number }> {
    const form = new FormData()
    if (title) form.append('title', title)
    form.append('file', file, file.name)
    // No content-type header: the browser writes the multipart boundary itself.
    const res = await this.api.raw(`/api/bots/${segment(botId)}/knowledge/documents`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: form,
    })
    return (await res.json()) as { id: string; title: string; chunks: number }
  }

  deleteKnowledgeDocument(botId: string, documentId: string): Promise<void> {
    return this.api.request('DELETE', `/api/bots/${segment(botId)}/knowledge/documents/${segment(documentId)}`)
  }

  async searchKnowledge(botId: string, q: string, k: number): Promise<KnowledgeHit[]> {
    return (await this.api.request<{ hits: KnowledgeHit[] }>('GET', `/api/bots/${segment(botId)}/knowledge/search${queryString({ q, k })}`))
      .hits
  }

  // Learning from what the bot could not answer

  async unansweredQuestions(botId: string, days = 30): Promise<UnansweredGroup[]> {
    return (
      await this.api.request<{ groups: UnansweredGroup[] }>(
        'GET',
        `/api/bots/${segment(botId)}/knowledge/unanswered${queryString({ days })}`,
      )
    ).groups
  }

  async faqQuestions(botId: string): Promise<FaqQuestion[]> {
    return (await this.api.request<{ questions: FaqQuestion[] }>('GET', `/api/bots/${segment(botId)}/knowledge/faq-questions`)).questions
  }

  async similarQuestions(botId: string): Promise<SimilarQuestion[]> {
    return (await this.api.request<{ items: SimilarQuestion[] }>('GET', `/api/bots/${segment(botId)}/knowledge/similar-questions`)).items
  }

  addSimilarQuestion(botId: string, faqQuestion: string, similar: string): Promise<{ id: string }> {
    return this.api.request('POST', `/api/bots/${segment(botId)}/knowledge/similar-questions`, { faqQuestion, similar })
  }

  deleteSimilarQuestion(botId: string, id: string): Promise<void> {
    return this.api.request('DELETE', `/api/bots/${segment(botId)}/knowledge/similar-questions/${segment(id)}`)
  }

  addFaqEntry(botId: string, question: string, answer: string): Promise<{ document: string; question: string }> {
    return this.api.request('POST', `/api/bots/${segment(botId)}/knowledge/faq-entries`, { question, answer })
  }

  // Model endpoints and the pool

  async modelEndpoints(): Promise<ModelEndpoint[]> {
    return (await this.api.request<{ modelEndpoints: ModelEndpoint[] }>('GET', '/api/model-endpoints')).modelEndpoints
  }

  async createModelEndpoint(body: ModelEndpointInput): Promise<ModelEndpoint> {
    return (await this.api.request<{ modelEndpoint: ModelEndpoint }>('POST', '/api/model-endpoints', body)).modelEndpoint
  }

  async updateModelEndpoint(id: string, body: Partial<ModelEndpointInput>): Promise<ModelEndpoint> {
    return (await this.api.request<{ modelEndpoint: ModelEndpoint }>('PATCH', `/api/model-endpoints/${segment(id)}`, body)).modelEndpoint
  }

  deleteModelEndpoint(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/model-endpoints/${segment(id)}`)
  }

  /** "Test connection" of the settings in the form (nothing saved). */
  testModelEndpoint(body: ModelEndpointInput): Promise<ConnectionResult> {
    return this.api.request('POST', '/api/model-endpoints/test', body)
  }

  testSavedModelEndpoint(id: string): Promise<ConnectionResult> {
    return this.api.request('POST', `/api/model-endpoints/${segment(id)}/test`, {})
  }

  pool(): Promise<PoolSnapshot> {
    return this.api.request('GET', '/api/pool')
  }

  handoffStats(): Promise<HandoffStats> {
    return this.api.request('GET', '/api/stats/handoff')
  }

  // Conversations

  async searchConversations(filters: ConversationFilters, limit = 200): Promise<ConversationSummary[]> {
    const path = `/api/conversations${queryString({ ...filters, limit })}`
    return (await this.api.request<{ conversations: ConversationSummary[] }>('GET', path)).conversations
  }

  /** The export as a file: fetched with the bearer token, which a plain link could not send. */
  async exportConversations(filters: ConversationFilters, format: 'csv' | 'json'): Promise<Download> {
    const res = await this.api.raw(`/api/conversations/export${queryString({ ...filters, format })}`)
    return { blob: await res.blob(), filename: filenameOf(res, `chorus-conversations.${format}`) }
  }

  // People

  async staff(): Promise<StaffAccount[]> {
    return (await this.api.request<{ staff: StaffAccount[] }>('GET', '/api/staff')).staff
  }

  async createStaff(body: NewStaff): Promise<StaffAccount> {
    return (await this.api.request<{ staff: StaffAccount }>('POST', '/api/staff', body)).staff
  }

  async updateStaff(id: string, patch: StaffPatch): Promise<StaffAccount> {
    return (await this.api.request<{ staff: StaffAccount }>('PATCH', `/api/staff/${segment(id)}`, patch)).staff
  }

  async teams(): Promise<TeamDetail[]> {
    return (await this.api.request<{ teams: TeamDetail[] }>('GET', '/api/teams')).teams
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
    return (await this.api.request<{ apiKeys: ApiKey[] }>('GET', '/api/api-keys')).apiKeys
  }

  /** Creates a key; `key` is the secret itself, shown this once. */
  createApiKey(name: string): Promise<{ apiKey: ApiKey; key: string }> {
    return this.api.request('POST', '/api/api-keys', { name })
  }

  revokeApiKey(id: string): Promise<void> {
    return this.api.request('DELETE', `/api/api-keys/${segment(id)}`)
  }

  audit(query: AuditQuery): Promise<AuditPage> {
    return this.api.request('GET', `/api/audit${queryString({ ...query })}`)
  }
}
