import { describe, expect, it } from '@jest/globals'
import { SseParser } from './sse-parser.js'

describe('reading server-sent events', () => {
  it('parses named events with JSON data, ignoring comments', () => {
    const parser = new SseParser()
    const events = parser.push(': hello\n\nevent: conversation\ndata: {"id":"c1","state":"waiting"}\n\nevent: ping\ndata: {}\n\n')
    expect(events).toEqual([
      { event: 'conversation', data: '{"id":"c1","state":"waiting"}' },
      { event: 'ping', data: '{}' },
    ])
  })

  it('joins an event split across chunks, including a CRLF split between them', () => {
    const parser = new SseParser()
    expect(parser.push('event: mess')).toEqual([])
    expect(parser.push('age\r')).toEqual([])
    expect(parser.push('\ndata: {"conversationId":"c1",')).toEqual([])
    expect(parser.push('"role":"user"}\r\n\r\n')).toEqual([{ event: 'message', data: '{"conversationId":"c1","role":"user"}' }])
  })

  it('joins several data lines with newlines and defaults the event name to "message"', () => {
    const parser = new SseParser()
    expect(parser.push('data: one\ndata:two\nid: 7\n\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: '7' }])
  })

  it('dispatches nothing for a block without data', () => {
    const parser = new SseParser()
    expect(parser.push('event: typing\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }])
  })
})
