import type { LiveEvent } from '@chorus/protocol'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import type { ApiClient } from '../api/api-client.js'
import { openEventStream, type StreamStatus } from './event-stream.js'

const api = { url: (path: string) => `http://chorus.test${path}`, authHeaders: () => ({}), unauthorized: () => undefined }
const realFetch = globalThis.fetch

afterEach(() => {
  globalThis.fetch = realFetch
})

/** Answers `GET /api/events` with `chunks`, one network read each, then keeps the stream open until aborted, as fetch does. */
function serve(chunks: string[]) {
  globalThis.fetch = jest.fn<typeof fetch>().mockImplementation(async (_url, init) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
        init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')))
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  })
}

async function eventsOf(chunks: string[], count: number): Promise<{ events: LiveEvent[]; statuses: StreamStatus[] }> {
  serve(chunks)
  const events: LiveEvent[] = []
  const statuses: StreamStatus[] = []
  let close = () => {}
  await new Promise<void>((resolve) => {
    close = openEventStream(api as unknown as ApiClient, {
      onEvent: (event) => {
        events.push(event)
        if (events.length === count) resolve()
      },
      onStatus: (status) => statuses.push(status),
    })
  })
  close()
  return { events, statuses }
}

describe('the live event stream', () => {
  it('hands on each event whole, however the network cuts the stream', async () => {
    const { events, statuses } = await eventsOf(
      [
        ': connected\n\nevent: conv',
        'ersation\ndata: {"type":"conversation","id":"c1","state":"waiting","assigneeId":null,"botId":"b1","teamId":null}\r',
        '\n\r\nevent: ping\ndata: keep-alive\n\n',
        'event: message\ndata: {"type":"message","conversationId":"c1",\ndata: "id":"7","role":"user","botId":"b1"}\n\n',
      ],
      3,
    )
    expect(events).toEqual([
      { type: 'conversation', data: { id: 'c1', state: 'waiting', assigneeId: null, botId: 'b1', teamId: null } },
      { type: 'ping', data: null },
      { type: 'message', data: { conversationId: 'c1', id: '7', role: 'user', botId: 'b1' } },
    ])
    expect(statuses).toEqual(['connecting', 'open'])
  })

  it('passes over events it does not know, data that is not JSON, and data not of its event', async () => {
    const { events } = await eventsOf(
      [
        'event: surprise\ndata: {}\n\n',
        'event: typing\ndata: not json\n\n',
        'event: typing\ndata: {"conversationId":"c2"}\n\n',
        'event: typing\ndata: {"conversationId":"c2","staffId":"s1","botId":"b1"}\n\n',
      ],
      1,
    )
    expect(events).toEqual([{ type: 'typing', data: { conversationId: 'c2', staffId: 's1', botId: 'b1' } }])
  })
})
