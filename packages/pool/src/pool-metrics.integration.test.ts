import { redisFixture } from '../../../test/support/redis-fixture.js'
import { PoolMetrics, poolSnapshot } from './pool-metrics.js'

// Real Redis: the pool's shared counters and histograms, added to by every worker process.
const fixture = redisFixture()

describe('pool metrics', () => {
  it('gathers additions in the process and sends them in one flush, fractions and whole numbers alike', async () => {
    const { redis, keys } = fixture()
    const errors: unknown[] = []
    const metrics = new PoolMetrics(redis, keys, (error) => errors.push(error), 60_000)
    metrics.observe('chorus_generation_seconds', { replica: 'r1' }, 0.25)
    metrics.count('chorus_prompts_total', { replica: 'r1', outcome: 'completed' })
    // Nothing reaches Redis before the flush.
    expect((await poolSnapshot(redis, keys)).prompts).toEqual({})
    await metrics.flush()
    // A whole number added to a sum that holds a fraction.
    metrics.observe('chorus_generation_seconds', { replica: 'r1' }, 2)
    metrics.count('chorus_prompts_total', { replica: 'r1', outcome: 'completed' }, 2)
    await metrics.flush()
    expect(errors).toEqual([])
    const snapshot = await poolSnapshot(redis, keys)
    expect(snapshot.prompts).toEqual({ completed: 3 })
    expect(snapshot.histograms.chorus_generation_seconds).toMatchObject({ count: 2, sum: 2.25 })
    expect(snapshot.histograms.chorus_generation_seconds.buckets.find((b) => b.le === 0.25)?.count).toBe(1)
  })
})
