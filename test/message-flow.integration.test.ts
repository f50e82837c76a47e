import type { SimulatorMessage } from '@chorus/protocol'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

let stack: TestStack

beforeAll(async () => {
  stack = await startTestStack()
})

afterAll(async () => {
  await stack?.stop()
})

async function post(body: unknown): Promise<Response> {
  return fetch(`${stack.api.url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function transcript(query: string): Promise<SimulatorMessage[]> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages?${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as SimulatorMessage[]
}

describe('one message all the way through', () => {
  it('answers "@Chorus 你好" in the group within 10 s and stores both messages', async () => {
    const sent = await post({ room: 'Demo', from: 'Alice', text: '@Chorus 你好' })
    expect(sent.status).toBe(202)
    const { id } = (await sent.json()) as { id: string }

    const replies = await waitFor(
      async () => {
        const lines = await transcript(`room=Demo&after=${id}`)
        const own = lines.filter((l) => l.self)
        return own.length > 0 ? own : undefined
      },
      10_000,
      "the bot's reply in Demo",
    )
    expect(replies).toHaveLength(1)
    expect(replies[0]!.room).toBe('Demo')
    expect(replies[0]!.from).toBe('Chorus')
    expect(replies[0]!.text).toContain('@Alice')
    expect(replies[0]!.text).toContain('[simulated]')

    const messages = await stack.database.db.message.findMany({ orderBy: { id: 'asc' }, include: { channel: true } })
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'answered'],
      ['assistant', 'delivered'],
    ])
    expect(messages[0]!.text).toBe('你好')
    expect(messages[0]!.channel).toMatchObject({ kind: 'wechat_group', title: 'Demo' })
    expect(messages[1]!.replyToId).toBe(messages[0]!.id)
    expect(replies[0]!.text).toContain(messages[1]!.text.trim())
  })

  it('answers a platform message delivered twice only once', async () => {
    const message = { room: 'Twice', from: 'Bob', text: '@Chorus once please', id: 'wx-msg-1' }
    expect((await post(message)).status).toBe(202)
    await waitFor(async () => (await transcript('room=Twice')).some((l) => l.self), 10_000, 'the first reply')

    // WeChat re-delivers the same message (same platform id), as after a reconnect.
    expect((await post(message)).status).toBe(202)
    // A later, different message proves the bot kept going; only then count the replies.
    expect((await post({ room: 'Twice', from: 'Bob', text: '@Chorus and again' })).status).toBe(202)
    const lines = await waitFor(
      async () => {
        const all = await transcript('room=Twice')
        return all.filter((l) => l.self).length >= 2 ? all : undefined
      },
      10_000,
      'the reply to the second message',
    )
    expect(lines.filter((l) => l.self)).toHaveLength(2)
    const stored = await stack.database.db.message.count({ where: { channel: { title: 'Twice' } } })
    expect(stored).toBe(4)
  })

  it('answers every private message without a mention', async () => {
    const sent = await post({ from: 'Carol', text: 'hello in private' })
    expect(sent.status).toBe(202)
    const lines = await waitFor(
      async () => {
        const all = await transcript('from=Carol')
        return all.some((l) => l.self) ? all : undefined
      },
      10_000,
      'the private reply',
    )
    expect(lines.map((l) => l.self)).toEqual([false, true])
  })

  it('stores but does not answer a group message that does not mention the bot', async () => {
    await post({ room: 'Quiet', from: 'Dan', text: 'just chatting' })
    const stored = await waitFor(
      () =>
        stack.database.db.message
          .findFirst({ where: { channel: { title: 'Quiet' }, status: { not: 'received' } } })
          .then((m) => m ?? undefined),
      5_000,
      'the stored message',
    )
    expect(stored.status).toBe('ignored')
    const lines = await transcript('room=Quiet')
    expect(lines.filter((l) => l.self)).toHaveLength(0)
  })
})

describe('the simulator API rejects bad input', () => {
  it.each([
    [{ from: 'Alice' }, 'text'],
    [{ room: 'Demo', text: 'hi' }, 'from'],
    [{ from: '', text: 'hi' }, 'from'],
    [{ from: 'Alice', text: 42 }, 'text'],
    [{ from: 'Alice', text: 'hi', extra: true }, 'extra'],
  ])('answers 400 with the contract error shape for %j', async (body, field) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    const json = (await res.json()) as { error: { code: string; message: string } }
    expect(json.error.code).toBe('bad_request')
    expect(json.error.message).toContain(field)
  })

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${stack.api.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'invalid_json', message: 'the request body is not valid JSON' } })
  })

  it('exposes the pool in /metrics after answering', async () => {
    // Workers add to the shared metrics every quarter of a second, not at every prompt.
    const text = await waitFor(
      async () => {
        const res = await fetch(`${stack.api.url}/metrics`)
        expect(res.status).toBe(200)
        const body = await res.text()
        return /^chorus_prompts_total\{[^}]*outcome="completed"\}/m.test(body) && body
      },
      5_000,
      'the answered prompts in /metrics',
    )
    expect(text).toMatch(/^chorus_workers_live 1$/m)
    expect(text).toMatch(/^chorus_prompts_total\{replica="[^"]+",outcome="completed"\} [1-9]/m)
    expect(text).toMatch(/^chorus_time_to_first_token_seconds_count\{replica="[^"]+"\} [1-9]/m)
    expect(text).toMatch(/^chorus_queue_depth\{replica="[^"]+"\} 0$/m)
  })

  it('reports healthz ok with the live worker counted', async () => {
    const res = await fetch(`${stack.api.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', redis: 'ok', workers: 1 })
  })
})
