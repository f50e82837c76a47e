import type { ReplyEvent } from '@chorus/protocol'
import { redisFixture } from '../../../test/support/redis-fixture.js'
import type { PoolKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'
import { ReplyReader } from './reply-reader.js'
import { ReplyPublisher, replyStreamId } from './reply-stream.js'

// A reply stream in real Redis, as a worker writes it and the API reads it, when Redis loses part
// of it: what a reader shows must be the whole answer, never one with a hole or cut short.
const fixture = redisFixture()
let redis: RedisClient
let reader: ReplyReader
let keys: PoolKeys

beforeAll(() => {
  ;({ redis, keys } = fixture())
  reader = new ReplyReader(fixture().url, keys)
})

afterAll(() => {
  reader.close()
})

const done = (text: string): Extract<ReplyEvent, { type: 'done' }> => ({
  type: 'done',
  text,
  promptTokens: 3,
  completionTokens: 5,
  finishReason: 'stop',
})

async function write(jobId: string, events: ReplyEvent[]): Promise<void> {
  for (const event of events) await redis.xadd(keys.reply(jobId), '*', 'e', JSON.stringify(event))
}

async function shown(jobId: string): Promise<{ text: string; types: string[] }> {
  let text = ''
  const types: string[] = []
  for await (const event of reader.read(jobId, { timeoutMs: 5000 })) {
    types.push(event.type)
    if (event.type === 'delta') text += event.text
    if (event.type === 'retry') text = ''
  }
  return { text, types }
}

describe('a reply stream', () => {
  it('is shared by a prompt, its retries and its re-queues', () => {
    expect(['m-5', 'm-5~1', 'm-5~1~2', 'm-5~1795935891990', 'm-5~1795935891990~1'].map(replyStreamId)).toEqual(Array(5).fill('m-5'))
    expect(replyStreamId('api-3f2a')).toBe('api-3f2a')
  })

  it('shows what the publisher wrote, delta by delta, then done', async () => {
    const publisher = new ReplyPublisher(redis, keys.reply('whole'), 1)
    for (const piece of ['Hang', 'zhou ', 'is ', 'lovely']) {
      publisher.delta(piece)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await publisher.finish(done('Hangzhou is lovely'))
    // Each delta says where it starts: none is taken for missing.
    expect(await shown('whole')).toEqual({ text: 'Hangzhou is lovely', types: ['delta', 'delta', 'delta', 'delta', 'done'] })
  })

  it('completes an answer whose last deltas were lost from the done event', async () => {
    await write('cut', [{ type: 'delta', text: 'West Lake ', at: 0 }, done('West Lake opens at 6:00.')])
    expect(await shown('cut')).toEqual({ text: 'West Lake opens at 6:00.', types: ['delta', 'delta', 'done'] })
  })

  it('stops at a missing delta and shows the rest from the done event, never an answer with a hole', async () => {
    await write('hole', [
      { type: 'delta', text: 'Tickets ', at: 0 },
      // 'cost ' (at 8) was lost with Redis.
      { type: 'delta', text: '40 yuan.', at: 13 },
      done('Tickets cost 40 yuan.'),
    ])
    expect(await shown('hole')).toEqual({ text: 'Tickets cost 40 yuan.', types: ['delta', 'delta', 'done'] })
  })

  it('starts afresh after a retry', async () => {
    await write('retried', [
      { type: 'delta', text: 'garb', at: 0 },
      { type: 'retry' },
      { type: 'delta', text: 'Open ', at: 0 },
      { type: 'delta', text: 'daily.', at: 5 },
      done('Open daily.'),
    ])
    expect(await shown('retried')).toEqual({ text: 'Open daily.', types: ['delta', 'retry', 'delta', 'delta', 'done'] })
  })

  it('writes the first token at once, with the server chunk before it that carries only the role', async () => {
    const { redis, keys } = fixture()
    const key = keys.reply('role-first')
    const publisher = new ReplyPublisher(redis, key, 60_000)
    publisher.delta('', [{ index: 0, delta: { role: 'assistant', content: '' } }])
    publisher.delta('Hel', [{ index: 0, delta: { content: 'Hel' } }])
    publisher.delta('lo', [{ index: 0, delta: { content: 'lo' } }])
    // With a minute's coalescing, only what must not wait is written yet: the role and the first token, in one write.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const written = (await redis.xrange(key, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!) as { text: string; chunks: unknown[] })
    expect(written.map((event) => event.text)).toEqual(['Hel'])
    expect(written[0]!.chunks).toHaveLength(2)
    await publisher.finish({ type: 'done', text: 'Hello', promptTokens: 1, completionTokens: 2, finishReason: 'stop' })
  })

  it('keeps a passed-through server chunk as it was sent, joining only consecutive plain-text pieces of one choice', async () => {
    const publisher = new ReplyPublisher(redis, keys.reply('passthrough'), 50)
    const call = { index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }
    const sent = [
      [{ index: 0, delta: { role: 'assistant', content: 'He' }, finish_reason: null }],
      [{ index: 0, delta: { content: 'll' }, finish_reason: null }],
      [{ index: 0, delta: { content: 'o' }, finish_reason: null }],
      [{ index: 1, delta: { content: 'Hi' }, finish_reason: null }],
      [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null }],
      [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{}' } }] }, finish_reason: null }],
      [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
    ]
    for (const choices of sent)
      publisher.delta(choices[0]!.index === 0 ? ((choices[0]!.delta as { content?: string }).content ?? '') : '', choices)
    await publisher.finish(done('Hello'))

    const chunks: unknown[] = []
    for await (const event of reader.read('passthrough', { timeoutMs: 5000 }))
      if (event.type === 'delta') chunks.push(...(event.chunks ?? []))
    expect(chunks).toEqual([sent[0], [{ index: 0, delta: { content: 'llo' }, finish_reason: null }], ...sent.slice(3)])
  })
})
