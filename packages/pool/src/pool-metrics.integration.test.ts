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

  it('sends observations gathered together as cumulative buckets', async () => {
    const { redis, keys } = fixture()
    const metrics = new PoolMetrics(redis, keys, () => undefined, 60_000)
    for (const seconds of [0.003, 0.3, 0.3, 200]) metrics.observe('chorus_queue_wait_seconds', { replica: 'r2' }, seconds)
    await metrics.flush()
    const histogram = (await poolSnapshot(redis, keys)).histograms.chorus_queue_wait_seconds
    const bucket = (le: number) => histogram.buckets.find((b) => b.le === le)?.count
    expect(histogram).toMatchObject({ count: 4 })
    expect(histogram.sum).toBeCloseTo(200.606)
    expect([bucket(0.005), bucket(0.25), bucket(0.5), bucket(120)]).toEqual([1, 1, 3, 3])
  })
})
