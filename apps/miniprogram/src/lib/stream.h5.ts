import type { HttpAnswer, HttpCall, HttpTask } from './transport'

/** H5: the browser's fetch; an event stream is read from the body's ReadableStream as it arrives. */
export function send(call: HttpCall): HttpTask {
  const controller = new AbortController()
  const done = (async (): Promise<HttpAnswer> => {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.body === undefined ? call.headers : { ...call.headers, 'content-type': 'application/json' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: controller.signal,
    })
    const retryAfter = res.headers.get('retry-after')
    const streamed = (res.headers.get('content-type') ?? '').includes('text/event-stream')
    if (!call.onText || !streamed || !res.body) return { status: res.status, body: await res.text(), retryAfter }
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    for (;;) {
      const { done: finished, value } = await reader.read()
      if (finished) break
      call.onText(decoder.decode(value, { stream: true }))
    }
    const rest = decoder.decode()
    if (rest) call.onText(rest)
    return { status: res.status, body: '', retryAfter }
  })()
  return { done, abort: () => controller.abort() }
}
