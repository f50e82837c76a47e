import { describe, expect, it } from '@jest/globals'
import { createSseParser, type SseEvent } from './sse'

const parseAll = (chunks: string[]) => {
  const events: SseEvent[] = []
  const push = createSseParser((event) => events.push(event))
  for (const chunk of chunks) push(chunk)
  return events
}

describe('the mini-program’s event-stream parser', () => {
  const stream = ': connected\n\nevent: delta\ndata: {"text":"你好"}\n\nevent: done\ndata: {"messageId":"7"}\n\n'

  it('reads named events and skips comments', () => {
    expect(parseAll([stream])).toEqual([
      { event: 'delta', data: '{"text":"你好"}' },
      { event: 'done', data: '{"messageId":"7"}' },
    ])
  })

  it('gives the same events however the text is cut into chunks', () => {
    const whole = parseAll([stream])
    for (let size = 1; size < 12; size++) {
      const chunks = stream.match(new RegExp(`[^]{1,${size}}`, 'g'))!
      expect(parseAll(chunks)).toEqual(whole)
    }
  })

  it('takes CRLF and CR line ends, a CRLF split across chunks, and joins data lines', () => {
    // A CR at the end of what has come may be the first half of a CRLF: the next chunk (here the
    // server's keep-alive comment) settles it.
    expect(parseAll(['event: a\r', '\ndata: 1\r\ndata: 2\r', '\r', 'data: x\r\r', ': ping\n'])).toEqual([
      { event: 'a', data: '1\n2' },
      { event: 'message', data: 'x' },
    ])
  })

  it('holds an unfinished event until its blank line arrives', () => {
    expect(parseAll(['event: typing\ndata: {}\n'])).toEqual([])
  })
})
