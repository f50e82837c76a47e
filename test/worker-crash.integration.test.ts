import type { ChildProcess } from 'node:child_process'
import { connectRedis } from '@chorus/redis'
import { ConversationKeys } from '@chorus/conversation'
import type { SimulatorMessage } from '@chorus/protocol'
import { GenerationLog } from './support/generation-log.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'
import { spawnWorkerProcess } from './support/worker-process.js'

let stack: TestStack
const workers: ChildProcess[] = []

function spawnWorker(): ChildProcess {
  const child = spawnWorkerProcess(stack.env)
  workers.push(child)
  return child
}

async function transcript(query: string): Promise<SimulatorMessage[]> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages?${query}`)
  return (await res.json()) as SimulatorMessage[]
}

beforeAll(async () => {
  // Slow enough that the worker is surely mid-generation when it dies (about 3 s per reply).
  stack = await startTestStack({ worker: false, simulator: { ttftMs: 20, itlMs: 100, replyTokens: 30 } })
})

afterAll(async () => {
  for (const child of workers) child.kill('SIGKILL')
  await stack?.stop()
})

describe('a worker process killed mid-generation', () => {
  it('loses nothing: another worker answers, and the group sees exactly one reply', async () => {
    const first = spawnWorker()
    await waitFor(async () => (await fetch(`${stack.api.url}/healthz`)).status === 200, 15_000, 'the worker to join')

    const generations = GenerationLog.attach(stack.simulator.replica)
    const sent = await fetch(`${stack.api.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'Crash', from: 'Alice', text: '@Chorus tell me a long story' }),
    })
    expect(sent.status).toBe(202)
    const inbound = await waitFor(
      () => stack.database.db.message.findFirst({ where: { role: 'user', channel: { title: 'Crash' } } }).then((m) => m ?? undefined),
      5000,
      'the inbound message in PostgreSQL',
    )
    // Mid-generation: the replica is writing the answer (a WeChat reply has no reply stream to watch).
    await generations.until((all) => all.some((g) => g.endedAt === undefined), 10_000, 'the generation to start')
    first.kill('SIGKILL')
    spawnWorker()

    const lines = await waitFor(
      async () => {
        const all = await transcript('room=Crash')
        return all.some((l) => l.self && l.text.includes('[simulated]')) ? all : undefined
      },
      30_000,
      'the reply after the crash',
    )
    // Then a later message gets its reply: anything still in flight for the first has landed by now.
    await fetch(`${stack.api.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'Crash', from: 'Bob', text: '@Chorus and me?' }),
    })
    const answers = (all: SimulatorMessage[]) => all.filter((l) => l.self && l.text.includes('[simulated]'))
    await waitFor(async () => answers(await transcript('room=Crash')).length >= 2, 30_000, "Bob's reply")

    // A slow answer may be announced once by a short "thinking" notice; the answer itself comes once.
    const replies = answers(await transcript('room=Crash'))
    expect(replies.filter((l) => l.text.startsWith('@Alice'))).toHaveLength(1)
    expect(answers(lines)).toHaveLength(1)
    expect(lines.filter((l) => l.self && !l.text.includes('[simulated]')).length).toBeLessThanOrEqual(1)
    const stored = await stack.database.db.message.findMany({ where: { role: 'assistant', replyToId: inbound.id } })
    expect(stored).toHaveLength(1)
    expect(stored[0]!.status).toBe('delivered')

    // The group's fairness key counted the re-run prompt once and gave it back: nothing left pending.
    const redis = connectRedis(stack.env.REDIS_URL!)
    try {
      const fairness = new ConversationKeys(stack.redisPrefix).fairness(`channel:${inbound.channelId}`)
      await waitFor(async () => (await redis.zcard(fairness)) === 0 || undefined, 5000, 'the group’s prompts to be given back')
    } finally {
      redis.disconnect()
    }
  }, 60_000)
})
