import type { ChildProcess } from 'node:child_process'
import OpenAI from 'openai'
import { ConversationKeys } from '@chorus/conversation'
import type { SimulatorMessage } from '@chorus/protocol'
import { Dispatcher, PoolKeys } from '@chorus/pool'
import { connectRedis } from '@chorus/redis'
import { GenerationLog } from './support/generation-log.js'
import { startRedisCluster, type RedisClusterHarness } from './support/redis-cluster.js'
import { SimulatorClient } from './support/simulator-client.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'
import { spawnWorkerProcess } from './support/worker-process.js'

// The whole product on a real Redis Cluster of three masters (REDIS_CLUSTER_NODES): API, bot and
// workers connect to it, BullMQ's queues, the registry, outboxes and reply streams live on it.
let cluster: RedisClusterHarness
let stack: TestStack
let chat: SimulatorClient
const workers: ChildProcess[] = []

/** The bot's answers (the simulator's replies) in `room`, oldest first. */
async function answers(room: string): Promise<SimulatorMessage[]> {
  return (await chat.botLines({ room })).filter((l) => l.text.includes('[simulated]'))
}

/** Waits for at least `count` answers in `room`. */
function untilAnswers(room: string, count: number, timeoutMs: number): Promise<SimulatorMessage[]> {
  return waitFor(
    async () => ((await answers(room)).length >= count ? answers(room) : undefined),
    timeoutMs,
    `${count} answer(s) in ${room}`,
  )
}

beforeAll(async () => {
  cluster = await startRedisCluster()
  // Slow enough that a worker is surely mid-generation when it is killed (about 2 s per reply).
  stack = await startTestStack({
    worker: false,
    simulator: { ttftMs: 20, itlMs: 60, replyTokens: 30 },
    env: { REDIS_CLUSTER_NODES: cluster.nodes, CHORUS_API_KEYS: 'sk-cluster' },
  })
  chat = new SimulatorClient(stack.api.url)
  workers.push(spawnWorkerProcess(stack.env))
  await waitFor(async () => (await fetch(`${stack.api.url}/healthz`)).status === 200, 20_000, 'the worker to join')
}, 60_000)

afterAll(async () => {
  for (const child of workers) child.kill('SIGKILL')
  await stack?.stop()
  await cluster?.stop()
})

describe('Chorus on a Redis Cluster', () => {
  it('spreads its keys over the masters', async () => {
    const redis = connectRedis({ clusterNodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })) })
    try {
      const keys = new ConversationKeys(stack.redisPrefix)
      // The registry, the outbox and a queue's keys are each on one slot, not all on the same one.
      const slots = await Promise.all(
        [keys.replicas, keys.outbox('wechat:x'), `${keys.bullPrefix}:{prompts-unrouted}:wait`].map(
          (key) => redis.cluster('KEYSLOT', key) as Promise<number>,
        ),
      )
      expect(new Set(slots).size).toBe(3)
      // The worker's heartbeat is on the cluster, not on a single server beside it.
      expect(await redis.zcard(keys.replicas)).toBeGreaterThan(0)
    } finally {
      redis.disconnect()
    }
  })

  it('logs a cancellation and tells the workers in one MULTI on the cancellations slot', async () => {
    const redis = connectRedis({ clusterNodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })) })
    const listener = connectRedis({ clusterNodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })) })
    try {
      const keys = new PoolKeys(stack.redisPrefix)
      const heard = new Promise<string>((resolve) => listener.on('message', (_channel, jobId: string) => resolve(jobId)))
      await listener.subscribe(keys.cancel)
      await new Dispatcher(redis, keys, { maxQueueWaitMs: 60_000 }).cancel('cluster-cancelled')
      expect(await heard).toBe('cluster-cancelled')
      expect(await redis.zscore(keys.cancellations, 'cluster-cancelled')).not.toBeNull()
    } finally {
      redis.disconnect()
      listener.disconnect()
    }
  })

  it('answers a group message once', async () => {
    await chat.say('Cluster', { from: 'Alice', text: '@Chorus hello from the cluster' })
    const lines = await untilAnswers('Cluster', 1, 30_000)
    expect(lines).toHaveLength(1)
    expect(lines[0]!.text).toMatch(/^@Alice /)
    const stored = await stack.database.db.message.findMany({ where: { role: 'assistant', channel: { title: 'Cluster' } } })
    expect(stored.map((m) => m.status)).toEqual(['delivered'])
  }, 40_000)

  it('streams a /v1 reply', async () => {
    const client = new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey: 'sk-cluster', maxRetries: 0 })
    const stream = await client.chat.completions.create({
      model: 'chorus-simulator',
      messages: [{ role: 'user', content: 'Stream to me' }],
      max_tokens: 6,
      stream: true,
    })
    const pieces: string[] = []
    let finish: string | null | undefined
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content
      if (delta) pieces.push(delta)
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    expect(pieces.length).toBeGreaterThanOrEqual(2)
    expect(pieces.join('')).toMatch(/^\[simulated\] \S/)
    expect(finish).toBe('length')
  }, 30_000)

  it('loses nothing when a worker is killed mid-generation: another answers, once', async () => {
    const generations = GenerationLog.attach(stack.simulator.replica)
    await chat.say('Crash', { from: 'Bob', text: '@Chorus tell me a long story' })
    await generations.until((all) => all.some((g) => g.endedAt === undefined), 15_000, 'the generation to start')
    workers[0]!.kill('SIGKILL')
    workers.push(spawnWorkerProcess(stack.env))
    expect(await untilAnswers('Crash', 1, 40_000)).toHaveLength(1)
    // Whatever else was in flight has landed once a later message is answered.
    await chat.say('Crash', { from: 'Carol', text: '@Chorus and me?' })
    const replies = await untilAnswers('Crash', 2, 40_000)
    expect(replies.filter((l) => l.text.startsWith('@Bob'))).toHaveLength(1)
    expect(replies.filter((l) => l.text.startsWith('@Carol'))).toHaveLength(1)
  }, 90_000)
})
