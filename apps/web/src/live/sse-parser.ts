/** One server-sent event: its `event:` name ("message" when none was given) and its joined `data:` lines. */
export interface ServerSentEvent {
  event: string
  data: string
  id?: string
}

/**
 * Turns a text/event-stream, fed in chunks as they arrive, into events (the HTML spec's
 * parsing rules: CR, LF or CRLF line ends, `:` comments, a blank line dispatches).
 */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined
  private sawCarriageReturn = false

  /** Feeds the next decoded chunk; returns the events it completed. */
  push(chunk: string): ServerSentEvent[] {
    let text = chunk
    // A CRLF split across two chunks: the LF belongs to the line the CR already ended.
    if (this.sawCarriageReturn && text.startsWith('\n')) text = text.slice(1)
    this.sawCarriageReturn = text.endsWith('\r')
    this.buffer += text
    const events: ServerSentEvent[] = []
    const lines = this.buffer.split(/\r\n|\r|\n/)
    this.buffer = lines.pop() ?? ''
    for (const line of lines) {
      const event = this.line(line)
      if (event) events.push(event)
    }
    return events
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.event = value
    else if (field === 'data') this.data.push(value)
    else if (field === 'id' && !value.includes('\0')) this.id = value
    return undefined
  }

  private dispatch(): ServerSentEvent | undefined {
    const event =
      this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n'), ...(this.id ? { id: this.id } : {}) } : undefined
    this.event = ''
    this.data = []
    return event
  }
}
