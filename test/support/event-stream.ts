/** A server-sent event as a client reads it, with when it arrived. */
export interface ReceivedEvent {
  type: string
  data: Record<string, unknown>
  at: number
}

/** Reads a text/event-stream body into events, calling `onEvent` as each arrives. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ReceivedEvent) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += value
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const type = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (type && data) onEvent({ type, data: JSON.parse(data) as Record<string, unknown>, at: Date.now() })
      end = buffer.indexOf('\n\n')
    }
  }
}
