/** One HTTP call of the API client, as each platform's transport (stream.h5.ts, stream.weapp.ts) makes it. */
export interface HttpCall {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Sent as JSON. */
  body?: unknown
  /** Receives a text/event-stream answer's text as it arrives; without it the call waits for the whole body. */
  onText?: (text: string) => void
  /** Milliseconds before the platform gives up (WeChat ends any request after 60 s unless told otherwise). */
  timeoutMs?: number
}

export interface HttpAnswer {
  status: number
  /** The body as text; empty when it was an event stream given to `onText`. */
  body: string
  /** The Retry-After header (sent with 429). */
  retryAfter: string | null
}

export interface HttpTask {
  /** Settles when the answer has been read to its end; rejects on a network failure or `abort`. */
  done: Promise<HttpAnswer>
  abort(): void
}

/** A header of a WeChat answer, whose names may come in any case. */
export function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return String(value)
  return null
}
