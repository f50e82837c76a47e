/** One request as a test sends it: the token (when given) goes in `Authorization: Bearer`. */
export interface Sent {
  method: string
  path: string
  /** Sent as JSON. */
  body?: unknown
  /** Sent as it is (with a content type of the caller's in `headers`). */
  raw?: string
  token?: string | null
  headers?: Record<string, string>
}

export interface Answer {
  status: number
  headers: Headers
  text: string
}

/** Sends a request and reads the answer; an event stream is closed once its headers arrive. */
export async function send(baseUrl: string, request: Sent): Promise<Answer> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.token) headers.authorization = `Bearer ${request.token}`
  if (request.body !== undefined) headers['content-type'] = 'application/json'
  const abort = new AbortController()
  const res = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers,
    body: request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
    signal: abort.signal,
  })
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    abort.abort()
    return { status: res.status, headers: res.headers, text: '' }
  }
  return { status: res.status, headers: res.headers, text: await res.text() }
}
