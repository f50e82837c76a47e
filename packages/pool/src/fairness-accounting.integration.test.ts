import { EngineError, type Engine } from '@chorus/llm'
import { PoolHarness } from '../../../test/support/pool-harness.js'

// Real Redis and real pool workers: a fairness key counts exactly the prompts it has pending,
// whatever happens to them on the way (asserted on the accounting itself, not on timings).
let pool: PoolHarness

afterEach(async () => {
  await pool?.stop()
})

const group = 'group:counted'

/** An engine that fails its first `failures` generations (retryable), then answers. */
function failingFirst(failures: number): Engine {
  let calls = 0
  return {
    kind: 'test',
    model: 'chorus-simulator',
    probe: async () => undefined,
    close: async () => undefined,
    generate: async (_request, onChunk) => {
      if (calls++ < failures) throw new EngineError('the replica answered 503', true)
      onChunk({ text: 'ok' })
      return { text: 'ok', promptTokens: 1, completionTokens: 1, finishReason: 'stop' }
    },
  }
}

describe('fairness accounting', () => {
  it('counts a prompt queued twice under the same id once, and gives a deduplicated one back once', async () => {
    pool = await PoolHarness.create()
    await pool.addSilentReplica('parked')
    await pool.dispatch('first', { fairnessKey: group, conversationKey: 'c1', jobId: 'j1' })
    await pool.dispatch('first', { fairnessKey: group, conversationKey: 'c1', jobId: 'j1' })
    // The conversation already has a prompt waiting: BullMQ drops this one, which must not count.
    const newer = await pool.dispatch('newer', { fairnessKey: group, conversationKey: 'c1', jobId: 'j2' })
    expect(newer.deduplicated).toBe(true)
    await pool.dispatch('other', { fairnessKey: group, conversationKey: 'c2', jobId: 'j3' })
    expect((await pool.dispatcher.pendingOf(group)).sort()).toEqual(['j1', 'j3'])
  })

  it('keeps a conversation’s prompts dispatched at once on one queue, where the second waits behind the first', async () => {
    pool = await PoolHarness.create()
    await pool.addSilentReplica('parked')
    // The first of a quiet key would go to the fresh lane, the second (one pending) to the main
    // lane: the conversation keeps one lane, so BullMQ sees both and keeps one.
    const [first, second] = await Promise.all([
      pool.dispatch('q1', { fairnessKey: 'group:two', conversationKey: 'member', jobId: 'c-1' }),
      pool.dispatch('q2', { fairnessKey: 'group:two', conversationKey: 'member', jobId: 'c-2' }),
    ])
    expect([first.deduplicated, second.deduplicated].sort()).toEqual([false, true])
    expect(await pool.dispatcher.pendingOf('group:two')).toHaveLength(1)
  })

  it('keeps counting each prompt once when a dead replica’s prompts move, and releases them as they finish', async () => {
    pool = await PoolHarness.create()
    await pool.addSilentReplica('dead')
    for (const tag of ['a', 'b', 'c']) await pool.dispatch(tag, { fairnessKey: group, conversationKey: tag, jobId: `j-${tag}` })
    expect((await pool.dispatcher.pendingOf(group)).sort()).toEqual(['j-a', 'j-b', 'j-c'])

    await pool.addReplica('alive', { simulator: { itlMs: 200, replyTokens: 5 } })
    const moved = await pool.dispatcher.rescue('dead', { includeActive: true, removeReplica: true })
    expect(moved).toBe(3)
    expect((await pool.dispatcher.pendingOf(group)).sort()).toEqual(['j-a', 'j-b', 'j-c'])

    await pool.until((events) => events.filter((e) => e.type === 'complete').length === 3, 15_000, 'the moved prompts to be answered')
    expect(pool.events.filter((e) => e.type === 'complete').map((e) => e.replica)).toEqual(['alive', 'alive', 'alive'])
    await expectReleased()
  })

  it('counts a retried prompt once, under its new try, and releases it when it is answered', async () => {
    pool = await PoolHarness.create()
    await pool.addReplica('flaky', { engine: failingFirst(1), worker: { downAfterErrors: 10 } })
    await pool.dispatch('retried', { fairnessKey: group, jobId: 'j-retried' })
    await pool.until((events) => !!events.find((e) => e.type === 'complete' && e.tag === 'retried'), 10_000, 'the retried prompt')
    expect(pool.events.filter((e) => e.type === 'start' && e.tag === 'retried')).toHaveLength(2)
    await expectReleased()
  })

  it('releases a prompt refused as too busy', async () => {
    pool = await PoolHarness.create({ maxQueueWaitMs: 1 })
    await pool.addSilentReplica('full', { capacity: 1, inFlight: 1, serviceMs: 5000, load: 3 })
    await expect(pool.dispatch('refused', { fairnessKey: group, jobId: 'j-refused' })).rejects.toThrow()
    expect(await pool.dispatcher.pendingOf(group)).toEqual([])
  })
})

async function expectReleased(): Promise<void> {
  // Released in the worker's `finally`, just after the prompt's last event.
  const deadline = Date.now() + 5000
  while ((await pool.dispatcher.pendingOf(group)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  expect(await pool.dispatcher.pendingOf(group)).toEqual([])
}
