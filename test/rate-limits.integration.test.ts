import type { SimulatorMessage } from '@chorus/protocol'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

let stack: TestStack

beforeAll(async () => {
  stack = await startTestStack({ env: { CHORUS_USER_RATE_PER_MIN: '2', CHORUS_GROUP_RATE_PER_MIN: '3' } })
})

afterAll(async () => {
  await stack?.stop()
})

const say = (body: object) =>
  fetch(`${stack.api.url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

async function botLines(query: string): Promise<SimulatorMessage[]> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages?${query}`)
  return ((await res.json()) as SimulatorMessage[]).filter((l) => l.self)
}

describe('per-user and per-group rate limits', () => {
  it('answers a person within their rate, tells them once when they exceed it, and keeps every message', async () => {
    for (const text of ['one', 'two', 'three', 'four']) expect((await say({ from: 'Eager', text })).status).toBe(202)
    const stored = await waitFor(
      async () => {
        const rows = await stack.database.db.message.findMany({
          where: { role: 'user', channel: { title: 'Eager' } },
          orderBy: { id: 'asc' },
        })
        return rows.length === 4 && rows.every((r) => r.status !== 'received' && r.status !== 'queued') ? rows : undefined
      },
      10_000,
      'all four messages handled',
    )
    expect(stored.map((m) => m.text)).toEqual(['one', 'two', 'three', 'four'])
    expect(stored.filter((m) => m.status === 'refused')).toHaveLength(2)
    const lines = await waitFor(
      async () => ((await botLines('from=Eager')).length >= 2 ? botLines('from=Eager') : undefined),
      10_000,
      'the answer and the notice',
    )
    const notices = lines.filter((l) => l.text.includes('try again in'))
    expect(notices).toHaveLength(1)
    // 'one' and 'two' arrive together: one answer may cover both (supersession), never more than two.
    const answers = lines.filter((l) => l.text.includes('[simulated]')).length
    expect(answers).toBeGreaterThanOrEqual(1)
    expect(answers).toBeLessThanOrEqual(2)
    expect(stored.slice(0, 2).map((m) => m.status)).not.toContain('refused')
  })

  it('limits a group as a whole, whoever asks', async () => {
    const members = ['M1', 'M2', 'M3', 'M4', 'M5']
    for (const from of members) await say({ room: 'Busy', from, text: '@Chorus hi' })
    const rows = await waitFor(
      async () => {
        const found = await stack.database.db.message.findMany({ where: { role: 'user', channel: { title: 'Busy' } } })
        return found.length === 5 && found.every((r) => r.status !== 'received' && r.status !== 'queued') ? found : undefined
      },
      10_000,
      'five group messages handled',
    )
    expect(rows.filter((r) => r.status === 'refused')).toHaveLength(2)
  })
})
