import { demoKnowledge } from '@chorus/knowledge'
import { bearerCall } from './bearer-fetch.js'
import { readEvents } from './event-stream.js'

/** A member of staff using the API as the agent console does: sign in, act, hold the live stream open. */
export class StaffClient {
  private readonly streams = new Set<AbortController>()
  readonly events: Array<{ type: string; data: Record<string, unknown> }> = []

  private constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly id: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<StaffClient> {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`)
    const body = (await res.json()) as { token: string; staff: { id: string } }
    return new StaffClient(baseUrl, body.token, body.staff.id)
  }

  /** Any staff API call; returns the status and the parsed body (null when empty). */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return bearerCall<T>(this.baseUrl, this.token, method, path, body)
  }

  /** Like `call`, but fails the test on anything but `expected`. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected = 200): Promise<T> {
    const result = await this.call<T>(method, path, body)
    if (result.status !== expected) throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`)
    return result.body
  }

  /** Uploads a knowledge document (multipart, as the panel does) to bot `botId`; the status and the answer. */
  async uploadDocument(
    botId: string,
    file: { name: string; type: string; bytes: Buffer | string },
    title?: string,
  ): Promise<{ status: number; body: { id: string; title: string; chunks: number; error?: { code: string } } }> {
    const form = new FormData()
    form.append('file', new Blob([file.bytes], { type: file.type }), file.name)
    if (title) form.append('title', title)
    const res = await fetch(`${this.baseUrl}/api/bots/${botId}/knowledge/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
      body: form,
    })
    return { status: res.status, body: (await res.json()) as { id: string; title: string; chunks: number; error?: { code: string } } }
  }

  /** Uploads the demo travel agency's FAQ sheet to bot `botId` (fails the test unless it is taken). */
  async uploadDemoFaq(botId: string): Promise<void> {
    const demo = demoKnowledge()
    const { status } = await this.uploadDocument(botId, { name: 'travel-faq.csv', type: 'text/csv', bytes: demo.csv }, demo.title)
    if (status !== 201) throw new Error(`the demo FAQ was refused: ${status}`)
  }

  /** Opens the console's live stream (the agent is online while it is open); resolves once connected. */
  async goOnline(): Promise<void> {
    const abort = new AbortController()
    this.streams.add(abort)
    const res = await fetch(`${this.baseUrl}/api/events`, { headers: { authorization: `Bearer ${this.token}` }, signal: abort.signal })
    if (res.status !== 200 || !res.body) throw new Error(`live stream refused: ${res.status}`)
    readEvents(res.body, (event) => this.events.push({ type: event.type, data: event.data })).catch(() => undefined)
  }

  goOffline(): void {
    for (const abort of this.streams) abort.abort()
    this.streams.clear()
  }
}
