import { liveEvent, type LiveEvent } from '@chorus/protocol'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { ApiClient } from '../api/api-client.js'

export type StreamStatus = 'connecting' | 'open' | 'closed'

export interface EventStreamOptions {
  onEvent(event: LiveEvent): void
  onStatus(status: StreamStatus): void
  /** The first wait after a drop; it doubles up to `maxDelayMs`. */
  initialDelayMs?: number
  maxDelayMs?: number
  /** No bytes (not even the 15 s ping) for this long: the connection is taken as dead. */
  idleTimeoutMs?: number
}

/** An event the console knows, read as @chorus/protocol's `liveEvent`; anything else is passed over. */
function toLiveEvent(sse: EventSourceMessage): LiveEvent | undefined {
  let data: unknown = null
  try {
    data = sse.data ? JSON.parse(sse.data) : null
  } catch {
    // A ping may carry plain text; any other event without JSON data is of no use.
  }
  const event = liveEvent.safeParse({ type: sse.event ?? 'message', data })
  return event.success ? event.data : undefined
}

/**
 * Holds `GET /api/events` open (read with fetch so the token stays in a header) and reconnects
 * with exponential backoff when it drops. Keeping it open is what makes the agent online.
 * Returns a function that closes it for good.
 */
export function openEventStream(api: ApiClient, options: EventStreamOptions): () => void {
  const initialDelay = options.initialDelayMs ?? 1000
  const maxDelay = options.maxDelayMs ?? 30_000
  const idleTimeout = options.idleTimeoutMs ?? 45_000
  let stopped = false
  let controller: AbortController | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let delay = initialDelay

  const connect = async () => {
    if (stopped) return
    options.onStatus('connecting')
    controller = new AbortController()
    const current = controller
    let idleTimer: ReturnType<typeof setTimeout> | undefined
    const resetIdle = () => {
      clearTimeout(idleTimer)
      idleTimer = setTimeout(() => current.abort(), idleTimeout)
    }
    try {
      resetIdle()
      const res = await fetch(api.url('/api/events'), {
        headers: { accept: 'text/event-stream', ...api.authHeaders() },
        signal: current.signal,
        cache: 'no-store',
      })
      if (res.status === 401) {
        stopped = true
        api.unauthorized()
        return
      }
      if (!res.ok || !res.body) throw new Error(`the event stream answered ${res.status}`)
      options.onStatus('open')
      delay = initialDelay
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      const parser = createParser({
        onEvent: (sse) => {
          const event = toLiveEvent(sse)
          if (event) options.onEvent(event)
        },
      })
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        resetIdle()
        parser.feed(value)
      }
    } catch {
      // Dropped, refused or timed out: the retry below is the handling.
    } finally {
      clearTimeout(idleTimer)
    }
    if (stopped) return
    options.onStatus('closed')
    retryTimer = setTimeout(() => void connect(), delay)
    delay = Math.min(delay * 2, maxDelay)
  }

  // Connect on the next tick: a stream closed at once (React's StrictMode mounts twice in
  // development) then never reaches the server at all.
  retryTimer = setTimeout(() => void connect(), 0)
  return () => {
    stopped = true
    clearTimeout(retryTimer)
    controller?.abort()
  }
}
