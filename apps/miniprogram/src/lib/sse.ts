/** One server-sent event: its `event:` name ('message' when none was given) and its joined `data:` lines. */
export interface SseEvent {
  event: string
  data: string
}

/**
 * Turns a text/event-stream, fed as text in pieces of any size (a network chunk may end inside a
 * line or an event), into events: the HTML spec's rules for CR, LF and CRLF line ends, `:`
 * comments and the blank line that dispatches.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (text: string) => void {
  let buffer = ''
  let event = ''
  let data: string[] = []
  let afterCarriageReturn = false

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n') })
      event = ''
      data = []
      return
    }
    if (text.startsWith(':')) return
    const colon = text.indexOf(':')
    const field = colon < 0 ? text : text.slice(0, colon)
    let value = colon < 0 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }

  return (chunk) => {
    if (chunk === '') return
    // A CRLF split across two chunks: the LF belongs to the line the CR already ended.
    const text = afterCarriageReturn && chunk.startsWith('\n') ? chunk.slice(1) : chunk
    afterCarriageReturn = chunk.endsWith('\r')
    const lines = (buffer + text).split(/\r\n|\r|\n/)
    buffer = lines.pop() ?? ''
    lines.forEach(line)
  }
}
