import { jest } from '@jest/globals'
import { Redis } from 'ioredis'
import { startSimulatorServer } from '@chorus/inference-simulator'
import { LlamaCppEngine } from '@chorus/llm'
import { PoolHarness } from '../../../test/support/pool-harness.js'
import { waitFor } from '../../../test/support/wait-for.js'
import { PoolBusy } from './pool-busy.js'
import { testModelPath } from '../../../test/support/test-model.js'

// Real Redis, real HTTP to inference simulators, real node-llama-cpp: the pool's scheduling.
let pool: PoolHarness

afterEach(async () => {
  await pool?.stop()
})

const order = (type: 'start' | 'complete', tags: string[]) =>
  pool.events.filter((e) => e.type === type && tags.includes(e.tag)).map((e) => e.tag)

describe('the worker pool', () => {
  it('runs agent-assist before customer service before group chat when a replica frees up', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('r1', { concurrency: 1, simulator: { itlMs: 20, replyTokens: 10 } })
    await pool.dispatch('blocker')
    await pool.until(() => !!pool.started('blocker'), 5000, 'the blocker to start')
    await pool.dispatch('group', { priorityClass: 'group_chat' })
    await pool.dispatch('service', { priorityClass: 'customer_service' })
    await pool.dispatch('assist', { priorityClass: 'agent_assist' })
    await pool.until(() => order('complete', ['group']).length === 1, 10_000, 'all prompts to finish')
    expect(order('start', ['group', 'service', 'assist'])).toEqual(['assist', 'service', 'group'])
  })

  it('runs a comparison of models only when no customer prompt waits, whenever they were queued', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('r1', { concurrency: 1, simulator: { itlMs: 10, replyTokens: 5 } })
    await pool.dispatch('blocker')
    await pool.until(() => !!pool.started('blocker'), 5000, 'the blocker to start')
    const comparison = ['compare-1', 'compare-2', 'compare-3']
    for (const tag of comparison) await pool.dispatch(tag, { priorityClass: 'batch', fairnessKey: 'comparison:run' })
    await pool.dispatch('group', { priorityClass: 'group_chat', fairnessKey: 'group:a' })
    await pool.dispatch('api', { priorityClass: 'api', fairnessKey: 'key:a' })
    await pool.until(() => order('complete', comparison).length === 3, 15_000, 'the comparison to finish')
    const started = order('start', ['api', 'group', ...comparison])
    expect(started.slice(0, 2).sort()).toEqual(['api', 'group'])
    expect(started.slice(2)).toEqual(comparison)
  })

  it("keeps a quiet group's wait short while another group floods", async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('r1', { concurrency: 2, simulator: { itlMs: 5, replyTokens: 5 } })
    const flood = Array.from({ length: 30 }, (_, i) => `flood-${i}`)
    for (const tag of flood) await pool.dispatch(tag, { priorityClass: 'group_chat', fairnessKey: 'group:flood' })
    const quietQueuedAt = Date.now()
    await pool.dispatch('quiet', { priorityClass: 'group_chat', fairnessKey: 'group:quiet' })
    await pool.until(() => !!pool.completed('quiet'), 15_000, 'the quiet group to be answered')
    const quietStart = pool.started('quiet')!.at
    const floodStartsInBetween = pool.events.filter(
      (e) => e.type === 'start' && e.tag.startsWith('flood-') && e.at >= quietQueuedAt && e.at < quietStart,
    ).length
    // FIFO would run the whole remaining flood first; fair priorities let the quiet prompt take
    // the next free slot (two slots: at most two flood prompts may start in between).
    expect(floodStartsInBetween).toBeLessThanOrEqual(2)
    expect(order('complete', flood).length).toBeLessThan(30)
  })

  it('gives a quiet group a slot kept free while a flood fills the rest, before any of the flood finishes', async () => {
    pool = await PoolHarness.create()
    // Four slots: the flood's lane may hold three, one stays for keys with nothing else pending.
    await pool.addReplica('r1', { concurrency: 4, simulator: { itlMs: 50, replyTokens: 20 } })
    const flood = Array.from({ length: 12 }, (_, i) => `wave-${i}`)
    for (const tag of flood) await pool.dispatch(tag, { priorityClass: 'group_chat', fairnessKey: 'group:wave' })
    await pool.until((events) => events.filter((e) => e.type === 'start').length >= 3, 5000, 'the flood to start')
    await pool.dispatch('calm', { priorityClass: 'group_chat', fairnessKey: 'group:calm' })
    await pool.until(() => !!pool.started('calm'), 5000, 'the quiet group to start')
    expect(pool.events.filter((e) => e.type === 'complete')).toEqual([])
    // The flood never had more than three running besides its first prompt.
    expect(pool.events.filter((e) => e.type === 'start' && e.tag.startsWith('wave-')).length).toBeLessThanOrEqual(4)
  })

  it("keeps a quiet group's wait short when the flood arrives all at once", async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('r1', { concurrency: 2, simulator: { itlMs: 5, replyTokens: 5 } })
    const flood = Array.from({ length: 30 }, (_, i) => `burst-${i}`)
    await Promise.all(flood.map((tag) => pool.dispatch(tag, { priorityClass: 'group_chat', fairnessKey: 'group:burst' })))
    await pool.dispatch('quiet', { priorityClass: 'group_chat', fairnessKey: 'group:quiet' })
    await pool.until(() => !!pool.completed('quiet'), 15_000, 'the quiet group to be answered')
    // Each prompt of the burst counted those dispatched before it, so the burst sinks behind the
    // quiet prompt; had they all seen 0 pending, the quiet one would run last.
    expect(order('start', [...flood, 'quiet']).indexOf('quiet')).toBeLessThanOrEqual(4)
  })

  it('routes a conversation back to the replica that served it, and spills over when that one is full', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('a', { concurrency: 2, simulator: { itlMs: 2 } })
    await pool.addReplica('b', { concurrency: 2, simulator: { itlMs: 2 } })
    const first = await pool.dispatch('turn-1', { conversationKey: 'conv' })
    await pool.until(() => !!pool.completed('turn-1'), 5000, 'turn 1')
    for (const turn of ['turn-2', 'turn-3', 'turn-4']) {
      const routed = await pool.dispatch(turn, { conversationKey: 'conv' })
      expect(routed.replicaId).toBe(first.replicaId)
      await pool.until(() => !!pool.completed(turn), 5000, turn)
    }
    expect(pool.events.filter((e) => e.type === 'complete').every((e) => e.replica === first.replicaId)).toBe(true)

    // Fill the preferred replica with long prompts of other conversations that live there.
    const home = first.replicaId!
    for (const other of ['x', 'y']) await pool.redis.set(pool.keys.affinity(other), home)
    await pool.dispatch('long-x', { conversationKey: 'x', maxTokens: 6 })
    await pool.dispatch('long-y', { conversationKey: 'y', maxTokens: 6 })
    const spilled = await pool.dispatch('turn-5', { conversationKey: 'conv' })
    expect(spilled.replicaId).not.toBe(home)
    await pool.until(() => !!pool.completed('turn-5'), 5000, 'turn 5')
    expect(pool.completed('turn-5')!.replica).not.toBe(home)
  })

  it('gives up on a hung replica after the first-token timeout and answers on another one', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('hung', { concurrency: 2, simulator: { ttftMs: 60_000 }, worker: { firstTokenTimeoutMs: 300 } })
    const routed = await pool.dispatch('question')
    expect(routed.replicaId).toBe('hung')
    await pool.addReplica('healthy', { concurrency: 2 })
    await pool.until(() => !!pool.completed('question'), 10_000, 'the answer from the healthy replica')
    expect(pool.completed('question')!.replica).toBe('healthy')
    const types = await waitFor(
      async () => {
        const stream = await pool.redis.xrange(pool.keys.reply('t-question'), '-', '+')
        const seen = stream.map(([, fields]) => JSON.parse(fields[1]!).type as string)
        return seen.at(-1) === 'done' ? seen : undefined
      },
      5000,
      'the final event on the reply stream',
    )
    expect(types[0]).toBe('retry')
    expect(types.filter((t) => t === 'done')).toHaveLength(1)
  })

  it('marks a failing replica down, moves its work away, and brings it back when it answers again', async () => {
    pool = await PoolHarness.create()
    const flaky = await pool.addReplica('flaky', { concurrency: 1, worker: { downAfterErrors: 2, maxAttempts: 5 } })
    await flaky.simulator!.close()
    await pool.dispatch('q1')
    await pool.dispatch('q2')
    const flakyStatus = async () => (await pool.dispatcher.registry.live()).find((r) => r.id === 'flaky')
    await waitFor(async () => (await flakyStatus())?.down, 8000, 'the flaky replica to be marked down')
    await pool.addReplica('spare', { concurrency: 2 })
    await pool.until(() => !!pool.completed('q1') && !!pool.completed('q2'), 10_000, 'both answered by the spare')
    expect(pool.completed('q1')!.replica).toBe('spare')
    expect(pool.completed('q2')!.replica).toBe('spare')
    // The replica's server comes back on the same address: the probe marks it up again.
    const port = Number(new URL(flaky.simulator!.url).port)
    const revived = await startSimulatorServer({ ttftMs: 5, itlMs: 2, replyTokens: 6 }, port)
    await waitFor(async () => (await flakyStatus())?.down === false, 8000, 'the flaky replica to be marked up')
    await revived.close()
  })

  it('never runs a prompt cancelled while it waited', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('r1', { concurrency: 1, simulator: { itlMs: 20, replyTokens: 10 } })
    await pool.dispatch('blocker')
    await pool.until(() => !!pool.started('blocker'), 5000, 'the blocker to start')
    await pool.dispatch('victim')
    await pool.dispatch('after')
    await pool.dispatcher.cancel('t-victim')
    await pool.until(() => !!pool.completed('after'), 10_000, 'the prompt after the cancelled one')
    expect(pool.started('victim')).toBeUndefined()
    const events = await pool.redis.xrange(pool.keys.reply('t-victim'), '-', '+')
    expect(events.map(([, fields]) => JSON.parse(fields[1]!) as { type: string; code?: string })).toEqual([
      { type: 'error', code: 'cancelled', message: 'the request was cancelled' },
    ])
  })

  it('never runs a prompt cancelled before its worker was listening, and asks Redis nothing per prompt once it listens', async () => {
    pool = await PoolHarness.create()
    // No replica yet: the prompt waits unrouted, and its cancellation reaches no worker.
    await pool.dispatch('early')
    await pool.dispatcher.cancel('t-early')
    await pool.addReplica('r1', { concurrency: 1, simulator: { itlMs: 5, replyTokens: 2 } })
    await pool.dispatch('after')
    await pool.until(() => !!pool.completed('after'), 10_000, 'the prompt after the cancelled one')
    expect(pool.started('early')).toBeUndefined()

    // Its cancellations known, the worker checks each prompt against them without a round trip.
    const sent = jest.spyOn(Redis.prototype, 'sendCommand')
    await pool.dispatch('later')
    await pool.until(() => !!pool.completed('later'), 10_000, 'a later prompt')
    const asked = sent.mock.calls.filter(([command]) => ['zscore', 'exists'].includes((command as { name: string }).name))
    sent.mockRestore()
    expect(asked).toEqual([])
  })

  it('refuses new prompts early when the queue wait would exceed the bound', async () => {
    pool = await PoolHarness.create({ maxQueueWaitMs: 1000 })
    await pool.addReplica('r1', { concurrency: 1, simulator: { itlMs: 40, replyTokens: 10 } })
    await pool.dispatch('warm-up')
    await pool.until(() => !!pool.completed('warm-up'), 5000, 'the replica to measure its service time')
    await waitFor(
      async () => ((await pool.dispatcher.registry.live())[0]?.serviceMs ?? 0) > 0,
      5000,
      'a heartbeat with the measured service time',
    )
    let refused: PoolBusy | undefined
    let accepted = 0
    for (let i = 0; i < 20 && !refused; i++) {
      try {
        await pool.dispatch(`burst-${i}`)
        accepted++
      } catch (error) {
        refused = error as PoolBusy
      }
    }
    expect(refused).toBeInstanceOf(PoolBusy)
    expect(refused!.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(accepted).toBeGreaterThanOrEqual(2)
    expect(accepted).toBeLessThan(20)
  })

  it('serves prompts with a real GGUF model through node-llama-cpp', async () => {
    const modelPath = testModelPath()
    pool = await PoolHarness.create()
    const engine = await LlamaCppEngine.load({ modelPath, sequences: 2, contextSize: 1024, threads: 1 })
    await pool.addReplica('gguf', { engine, concurrency: 2 })
    await pool.dispatch('Once upon a time', { maxTokens: 24 })
    await pool.dispatch('The little dog', { maxTokens: 24 })
    await pool.until(() => !!pool.completed('Once upon a time') && !!pool.completed('The little dog'), 20_000, 'both stories')
    expect(pool.completed('Once upon a time')!.text!.length).toBeGreaterThan(5)
    await engine.close()
  })
})
