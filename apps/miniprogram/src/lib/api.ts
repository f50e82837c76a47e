import { ApiError, errorOf } from './errors'
import { askToNotify } from './platform'
import { Session } from './session'
import { createSseParser } from './sse'
import { send } from './stream'
import type { HttpAnswer, HttpCall } from './transport'

export type Role = 'user' | 'assistant' | 'agent' | 'system'

/** A message as the API gives it (GET /mp/v1/messages, a `done` reply, a live `message`). */
export interface ChatMessage {
  id: string
  role: Role
  text: string
  author: string | null
}

/** The end of an answer: the stored reply, or null when a person has the conversation now. */
export interface ChatDone {
  messageId: string
  reply: ChatMessage | null
  handledBy: 'bot' | 'agent'
}

export interface History {
  messages: ChatMessage[]
  hasMore: boolean
}

export interface LiveHandlers {
  onMessage(message: ChatMessage): void
  onTyping(): void
  /** The stream (re)connected: what arrived while it was down is only in the history. */
  onConnected(): void
}

// WeChat ends a request after 60 s by default; the live stream should stay open far longer.
const liveTimeoutMs = 10 * 60 * 1000

/** The client of the mini-program API (/mp/v1), signed in through a Session. */
export class ChatApi {
  private readonly session: Session

  constructor(private readonly base: string) {
    this.session = new Session(async (code) => {
      const answer = await send({ url: `${base}/mp/v1/login`, method: 'POST', headers: {}, body: { code } }).done
      if (answer.status !== 200) throw errorOf(answer)
      return JSON.parse(answer.body) as { token: string; expiresIn: number }
    })
  }

  history(before?: string): Promise<History> {
    return this.json<History>('GET', `/mp/v1/messages?limit=20${before ? `&before=${before}` : ''}`)
  }

  /** Sends the user's text; `id` (the app's own) makes a retry the same message. */
  sendMessage(text: string, id: string, onDelta: (text: string) => void): Promise<ChatDone> {
    return this.chat('/mp/v1/messages', { text, id }, onDelta)
  }

  /** The "talk to a person" button. */
  handoff(onDelta: (text: string) => void): Promise<ChatDone> {
    return this.chat('/mp/v1/handoff', undefined, onDelta)
  }

  /** Offers a notification for when an agent answers (weapp; must be called straight from a tap). */
  async offerNotification(templateId: string): Promise<void> {
    if (!templateId) return
    const accepted = await askToNotify(templateId)
    if (accepted !== null) await this.json('POST', '/mp/v1/subscriptions', { templateId, accepted })
  }

  /** Keeps GET /mp/v1/events open, reconnecting with a growing pause, until the returned stop is called. */
  live(handlers: LiveHandlers): () => void {
    let stopped = false
    let abort = () => {}
    const run = async () => {
      for (let failures = 0; !stopped;) {
        let connected = false
        const parse = createSseParser(({ event, data }) => {
          if (event === 'message') handlers.onMessage(JSON.parse(data) as ChatMessage)
          else if (event === 'typing') handlers.onTyping()
        })
        try {
          const answer = await this.authorised((token) => {
            const task = send({
              ...this.call('GET', '/mp/v1/events', token),
              timeoutMs: liveTimeoutMs,
              onText: (text) => {
                if (!connected) {
                  connected = true
                  failures = 0
                  handlers.onConnected()
                }
                parse(text)
              },
            })
            abort = task.abort
            // Stopped while logging in: this request must not outlive the page.
            if (stopped) task.abort()
            return task.done
          })
          if (answer.status !== 200) throw errorOf(answer)
        } catch {
          // Network gone, server restarted, or the request timed out: try again below.
        }
        if (stopped) return
        failures++
        await pause(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)))
      }
    }
    void run()
    return () => {
      stopped = true
      abort()
    }
  }

  /** A plain JSON call. */
  private async json<T>(method: HttpCall['method'], path: string, body?: unknown): Promise<T> {
    const answer = await this.authorised((token) => send({ ...this.call(method, path, token), body }).done)
    if (answer.status < 200 || answer.status >= 300) throw errorOf(answer)
    return JSON.parse(answer.body) as T
  }

  /** POST with the answer as events: `delta`s, then `done` or `error`. */
  private async chat(path: string, body: unknown, onDelta: (text: string) => void): Promise<ChatDone> {
    let done: ChatDone | undefined
    let failed: ApiError | undefined
    const parse = createSseParser(({ event, data }) => {
      const payload = JSON.parse(data) as Record<string, unknown>
      if (event === 'delta') onDelta(String(payload.text ?? ''))
      else if (event === 'done') done = payload as unknown as ChatDone
      else if (event === 'error') failed = new ApiError(200, String(payload.code), String(payload.message))
    })
    const answer = await this.authorised(
      (token) => send({ ...this.call('POST', path, token, { accept: 'text/event-stream' }), body, onText: parse }).done,
    )
    if (answer.status !== 200) throw errorOf(answer)
    if (failed) throw failed
    if (!done) throw new ApiError(0, 'cut_off', 'the answer ended early')
    return done
  }

  private call(method: HttpCall['method'], path: string, token: string, headers: Record<string, string> = {}): HttpCall {
    return { url: `${this.base}${path}`, method, headers: { ...headers, authorization: `Bearer ${token}` } }
  }

  /** Runs `request` with the token; on 401 (expired, or the server forgot it) logs in once more and retries. */
  private async authorised(request: (token: string) => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const answer = await request(await this.session.token())
    return answer.status === 401 ? request(await this.session.renew()) : answer
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
