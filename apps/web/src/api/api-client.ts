import {
  cannedResponseList,
  conversationResponse,
  conversationSummaryResponse,
  healthBody,
  inboxResponse,
  loginResponse,
  meResponse,
  postedMessageResponse,
  staffListResponse,
  suggestionsResponse,
  teamListResponse,
  type CannedResponse,
  type ConversationDetail,
  type ConversationState,
  type ConversationSummary,
  type HealthBody,
  type InboxResponse,
  type LoginResponse,
  type MeResponse,
  type PostedMessageResponse,
  type StaffListResponse,
  type SuggestionsResponse,
  type TeamView,
  type TransferBody,
} from '@chorus/protocol'
import type { z } from 'zod'
import { ApiError } from './api-error.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Which conversations the inbox asks for (`GET /api/conversations`). */
export interface InboxQuery {
  state?: ConversationState
  mine?: boolean
  q?: string
  limit?: number
}

/** A JSON answer read as `schema` says the route answers (@chorus/protocol); anything else is an ApiError, not a broken page. */
export function parsed<T>(schema: z.ZodType<T>, body: unknown, path: string): T {
  const result = schema.safeParse(body)
  if (!result.success) throw new ApiError(0, 'unexpected_response', `unexpected answer from ${path.split('?')[0]}`)
  return result.data
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
    return new ApiClient(null, () => undefined, baseUrl).read(loginResponse, 'POST', '/api/auth/login', { email, password })
  }

  /** `GET /healthz` (no token needed; a 503 still carries the body). */
  static async health(baseUrl = ''): Promise<HealthBody> {
    const res = await fetch(`${baseUrl}/healthz`).catch((cause: unknown) => {
      throw ApiError.network(cause)
    })
    if (res.status !== 200 && res.status !== 503) throw await ApiError.fromResponse(res)
    return parsed(healthBody, await res.json(), '/healthz')
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

  me(): Promise<MeResponse> {
    return this.read(meResponse, 'GET', '/api/me')
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
    return this.read(inboxResponse, 'GET', `/api/conversations${search ? `?${search}` : ''}`)
  }

  async conversation(id: string): Promise<ConversationDetail> {
    return (await this.read(conversationResponse, 'GET', `/api/conversations/${encodeURIComponent(id)}`)).conversation
  }

  claim(id: string): Promise<ConversationSummary> {
    return this.changed(id, 'claim', {})
  }

  release(id: string): Promise<ConversationSummary> {
    return this.changed(id, 'release', {})
  }

  resolve(id: string, rating?: number): Promise<ConversationSummary> {
    return this.changed(id, 'resolve', rating ? { rating } : {})
  }

  transfer(id: string, target: TransferBody): Promise<ConversationSummary> {
    return this.changed(id, 'transfer', target)
  }

  async sendMessage(id: string, text: string): Promise<PostedMessageResponse['message']> {
    return (await this.read(postedMessageResponse, 'POST', this.conversationPath(id, 'messages'), { text })).message
  }

  async addNote(id: string, text: string): Promise<PostedMessageResponse['message']> {
    return (await this.read(postedMessageResponse, 'POST', this.conversationPath(id, 'notes'), { text })).message
  }

  typing(id: string): Promise<void> {
    return this.request('POST', this.conversationPath(id, 'typing'), {})
  }

  suggestions(id: string): Promise<SuggestionsResponse> {
    return this.read(suggestionsResponse, 'POST', this.conversationPath(id, 'suggestions'), {})
  }

  async cannedResponses(): Promise<CannedResponse[]> {
    return (await this.read(cannedResponseList, 'GET', '/api/canned-responses')).cannedResponses
  }

  /** Colleagues: team mates for an agent, every account for an admin; `online` while their console is open. */
  async staff(): Promise<StaffListResponse['staff']> {
    return (await this.read(staffListResponse, 'GET', '/api/staff')).staff
  }

  async teams(): Promise<TeamView[]> {
    return (await this.read(teamListResponse, 'GET', '/api/teams')).teams
  }

  private conversationPath(id: string, action: string): string {
    return `/api/conversations/${encodeURIComponent(id)}/${action}`
  }

  /** A claim, release, resolve or transfer: the conversation as it is now. */
  private async changed(id: string, action: string, body: object): Promise<ConversationSummary> {
    return (await this.read(conversationSummaryResponse, 'POST', this.conversationPath(id, action), body)).conversation
  }

  /** A JSON call whose answer is read as `schema`. */
  async read<T>(schema: z.ZodType<T>, method: Method, path: string, body?: unknown): Promise<T> {
    return parsed(schema, await this.request(method, path, body), path)
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
