import { ApiError } from './api-error.js'
import type {
  CannedResponse,
  ConversationDetail,
  ConversationSummary,
  Health,
  InboxQuery,
  InboxResponse,
  LoginResponse,
  Me,
  Message,
  StaffMember,
  SuggestedReplies,
  Team,
  TransferTarget,
} from './types.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Lists may come bare or wrapped in an object (`{"teams":[...]}`); the spec names only the
 * routes, so take the array under the expected key, else the only array there is.
 */
function listIn<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[]
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>
    if (Array.isArray(record[key])) return record[key] as T[]
    const arrays = Object.values(record).filter(Array.isArray)
    if (arrays.length === 1) return arrays[0] as T[]
  }
  return []
}

/** The staff HTTP API of docs/handoff.md, with the bearer token of the signed-in member of staff (admin calls: AdminApi). */
export class ApiClient {
  constructor(
    private readonly token: string | null,
    /** Called on any 401 from a signed-in call: the session has ended. */
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly baseUrl = '',
  ) {}

  /** Signs in; the caller keeps the token and builds a signed-in client with it. */
  static async login(email: string, password: string, baseUrl = ''): Promise<LoginResponse> {
    return new ApiClient(null, () => undefined, baseUrl).request<LoginResponse>('POST', '/api/auth/login', { email, password })
  }

  /** `GET /healthz` (no token needed; a 503 still carries the body). */
  static async health(baseUrl = ''): Promise<Health> {
    const res = await fetch(`${baseUrl}/healthz`).catch((cause: unknown) => {
      throw ApiError.network(cause)
    })
    if (res.status !== 200 && res.status !== 503) throw await ApiError.fromResponse(res)
    return (await res.json()) as Health
  }

  /** Headers for a signed-in request (also used by the live event stream). */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {}
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`
  }

  /** Reports a 401 seen outside `request` (the event stream). */
  unauthorized(): void {
    this.onUnauthorized()
  }

  logout(): Promise<void> {
    return this.request('POST', '/api/auth/logout', {})
  }

  me(): Promise<Me> {
    return this.request('GET', '/api/me')
  }

  /** `PUT /api/me/password`: the caller's other sessions end; this one stays. */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.request('PUT', '/api/me/password', { currentPassword, newPassword })
  }

  setAvailability(available: boolean): Promise<void> {
    return this.request('PUT', '/api/me/availability', { available })
  }

  inbox(query: InboxQuery): Promise<InboxResponse> {
    const params = new URLSearchParams()
    if (query.state) params.set('state', query.state)
    if (query.mine) params.set('mine', 'true')
    if (query.q) params.set('q', query.q)
    if (query.limit) params.set('limit', String(query.limit))
    const search = params.toString()
    return this.request('GET', `/api/conversations${search ? `?${search}` : ''}`)
  }

  async conversation(id: string): Promise<ConversationDetail> {
    return (await this.request<{ conversation: ConversationDetail }>('GET', `/api/conversations/${encodeURIComponent(id)}`)).conversation
  }

  async claim(id: string): Promise<ConversationSummary> {
    return (await this.request<{ conversation: ConversationSummary }>('POST', this.conversationPath(id, 'claim'), {})).conversation
  }

  release(id: string): Promise<unknown> {
    return this.request('POST', this.conversationPath(id, 'release'), {})
  }

  resolve(id: string, rating?: number): Promise<unknown> {
    return this.request('POST', this.conversationPath(id, 'resolve'), rating ? { rating } : {})
  }

  transfer(id: string, target: TransferTarget): Promise<unknown> {
    return this.request('POST', this.conversationPath(id, 'transfer'), target)
  }

  async sendMessage(id: string, text: string): Promise<Message> {
    return (await this.request<{ message: Message }>('POST', this.conversationPath(id, 'messages'), { text })).message
  }

  async addNote(id: string, text: string): Promise<Message> {
    return (await this.request<{ message: Message }>('POST', this.conversationPath(id, 'notes'), { text })).message
  }

  typing(id: string): Promise<void> {
    return this.request('POST', this.conversationPath(id, 'typing'), {})
  }

  suggestions(id: string): Promise<SuggestedReplies> {
    return this.request<SuggestedReplies>('POST', this.conversationPath(id, 'suggestions'), {})
  }

  async cannedResponses(): Promise<CannedResponse[]> {
    return listIn<CannedResponse>(await this.request('GET', '/api/canned-responses'), 'cannedResponses')
  }

  async staff(): Promise<StaffMember[]> {
    return listIn<StaffMember>(await this.request('GET', '/api/staff'), 'staff')
  }

  async teams(): Promise<Team[]> {
    return listIn<Team>(await this.request('GET', '/api/teams'), 'teams')
  }

  private conversationPath(id: string, action: string): string {
    return `/api/conversations/${encodeURIComponent(id)}/${action}`
  }

  /** A JSON call: the parsed answer (undefined for a 204); any failure as an ApiError, a 401 ending the session. */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await this.raw(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  /**
   * Any signed-in call (a multipart upload, a file download): the successful response as it
   * came. Failures are thrown as ApiErrors, and a 401 ends the session.
   */
  async raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...this.authHeaders() }
    const res = await fetch(this.url(path), { ...init, headers }).catch((cause: unknown) => {
      throw ApiError.network(cause)
    })
    if (!res.ok) {
      const error = await ApiError.fromResponse(res)
      if (res.status === 401 && this.token) this.onUnauthorized()
      throw error
    }
    return res
  }
}
