import { bearerCall } from './bearer-fetch.js'
import { readEvents, type ReceivedEvent } from './event-stream.js'

export type { ReceivedEvent } from './event-stream.js'

/** A mini-program user of the `/mp/v1` API, as the app (or its H5 build) uses it. */
export class MiniProgramClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async login(baseUrl: string, code: string): Promise<MiniProgramClient> {
    const res = await fetch(`${baseUrl}/mp/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
    return new MiniProgramClient(baseUrl, ((await res.json()) as { token: string }).token)
  }

  withToken(token: string): MiniProgramClient {
    return new MiniProgramClient(this.baseUrl, token)
  }

  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return bearerCall<T>(this.baseUrl, this.token, method, path, body)
  }

  /** Sends a message and reads the streamed answer to its end. */
  async stream(text: string): Promise<ReceivedEvent[]> {
    const res = await fetch(`${this.baseUrl}/mp/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text }),
    })
    if (res.status !== 200 || !res.body) throw new Error(`streaming refused: ${res.status} ${await res.text()}`)
    const events: ReceivedEvent[] = []
    await readEvents(res.body, (event) => events.push(event))
    return events
  }

  /** Opens the app's live stream; events arrive in `received` until `close` is called. */
  async openLive(): Promise<{ received: ReceivedEvent[]; close: () => void }> {
    const abort = new AbortController()
    const res = await fetch(`${this.baseUrl}/mp/v1/events`, { headers: { authorization: `Bearer ${this.token}` }, signal: abort.signal })
    if (res.status !== 200 || !res.body) throw new Error(`live stream refused: ${res.status}`)
    const received: ReceivedEvent[] = []
    readEvents(res.body, (event) => received.push(event)).catch(() => undefined)
    return { received, close: () => abort.abort() }
  }
}
