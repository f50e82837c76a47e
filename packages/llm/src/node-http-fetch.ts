import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'

// Connections to inference servers stay open between requests; the most recently used is reused
// first, so a few warm connections serve a steady flow and the rest time out.
const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
}

// Statuses whose response has no body (a Response with one would throw).
const bodyless = new Set([101, 204, 205, 304])

/** The request bodies this fetch sends itself; anything else (a form, a stream) goes to the global fetch. */
function bufferedBody(body: RequestInit['body']): string | Uint8Array | undefined | false {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  return false
}

/**
 * `fetch` over `node:http` with keep-alive, for the OpenAI SDK's `fetch` option: a streamed
 * completion costs about 0.6 ms less CPU than through the global fetch (undici), measured
 * sequentially against the inference simulator. The response is a web `Response` like fetch's,
 * its body streamed as it arrives; the signal aborts the request and its body.
 */
export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
  const body = bufferedBody(init.body)
  const agent = url.protocol === 'http:' || url.protocol === 'https:' ? agents[url.protocol] : undefined
  if (input instanceof Request || body === false || !agent) return fetch(input, init)
  const headers: Record<string, string> = {}
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value
  })
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.request(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined }, (response) => {
      const responseHeaders = new Headers()
      for (const [name, value] of Object.entries(response.headers)) {
        for (const one of [value ?? []].flat()) responseHeaders.append(name, one)
      }
      const status = response.statusCode ?? 502
      if (bodyless.has(status)) response.resume()
      // Aborted while the body streams, the body fails with the signal's reason, as fetch's does.
      const signal = init.signal
      if (signal) {
        const abort = () => response.destroy(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'))
        signal.addEventListener('abort', abort, { once: true })
        response.once('close', () => signal.removeEventListener('abort', abort))
      }
      resolve(
        new Response(bodyless.has(status) ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
          status,
          statusText: response.statusMessage,
          headers: responseHeaders,
        }),
      )
    })
    request.on('error', reject)
    request.end(body)
  })
}
