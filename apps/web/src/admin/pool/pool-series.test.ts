import { describe, expect, it } from '@jest/globals'
import type { Histogram, PoolSnapshot } from '../../api/admin-types.js'
import { histogramDelta, histogramQuantile, mergeSamples, poolSeries, queueWaitHistogram } from './pool-series.js'

const bounds = [0.1, 0.5, 1, 5]
const histogram = (counts: number[]): Histogram => ({
  buckets: bounds.map((le, index) => ({ le, count: counts[index]! })),
  count: counts.at(-1)!,
  sum: 0,
})

function snapshot(at: number, fields: Partial<PoolSnapshot> = {}): PoolSnapshot {
  return { at, prompts: {}, completionTokens: 0, rejections: 0, histograms: {}, workers: 1, replicas: [], unrouted: 0, ...fields }
}

describe('the pool dashboard series', () => {
  it('takes a quantile from cumulative buckets, linear within the bucket', () => {
    // 10 observations: 2 up to 0.1 s, 8 between 0.5 and 1 s.
    const buckets = [
      { le: 0.1, count: 2 },
      { le: 0.5, count: 2 },
      { le: 1, count: 10 },
    ]
    expect(histogramQuantile(0.95, buckets, 10)).toBeCloseTo(0.5 + 0.5 * (7.5 / 8))
    expect(histogramQuantile(0.1, buckets, 10)).toBeCloseTo(0.05)
    expect(histogramQuantile(0.95, buckets, 0)).toBeNull()
  })

  it('answers the last finite bound for observations beyond it', () => {
    expect(histogramQuantile(0.95, [{ le: 1, count: 1 }], 10)).toBe(1)
  })

  it('charts only what happened between two snapshots, and nothing across a reset', () => {
    const delta = histogramDelta(histogram([1, 1, 1, 1]), histogram([1, 1, 5, 5]))
    expect(delta).toEqual({ buckets: bounds.map((le, index) => ({ le, count: [0, 0, 4, 4][index] })), count: 4 })
    expect(histogramDelta(histogram([5, 5, 5, 5]), histogram([1, 1, 1, 1]))).toBeNull()
  })

  it('computes queue depth, tokens per second, wait p95 and errors per interval', () => {
    const replica = { id: 'r1', model: 'm', engine: 'openai', up: true, capacity: 2 }
    const samples = [
      snapshot(0, {
        completionTokens: 100,
        prompts: { completed: 3, failed: 1 },
        histograms: { [queueWaitHistogram]: histogram([0, 0, 0, 0]) },
        replicas: [{ ...replica, inFlight: 2, queued: 4 }],
      }),
      snapshot(2000, {
        completionTokens: 300,
        prompts: { completed: 5, failed: 2, retried: 1, cancelled: 4 },
        rejections: 1,
        histograms: { [queueWaitHistogram]: histogram([0, 4, 4, 4]) },
        replicas: [{ ...replica, inFlight: 1, queued: 0 }],
      }),
    ]
    const series = poolSeries(samples)
    expect(series.queueTotal.map((p) => p.v)).toEqual([4, 0])
    expect(series.queuedByReplica.get('r1')?.map((p) => p.v)).toEqual([4, 0])
    expect(series.inFlightByReplica.get('r1')?.map((p) => p.v)).toEqual([2, 1])
    expect(series.tokensPerSecond).toEqual([{ t: 2000, v: 100 }])
    expect(series.waitP95[0]!.v).toBeCloseTo(0.1 + 0.4 * (3.8 / 4))
    expect(series.ttftP95).toEqual([{ t: 2000, v: null }])
    expect(series.errors).toEqual([{ t: 2000, v: 2 }])
    expect(series.rejections).toEqual([{ t: 2000, v: 1 }])
  })

  it('computes no rate across a gap (the dashboard was closed meanwhile)', () => {
    const series = poolSeries([snapshot(0, { completionTokens: 0 }), snapshot(60_000, { completionTokens: 6000 })])
    expect(series.tokensPerSecond).toEqual([{ t: 60_000, v: null }])
    expect(series.queueTotal).toHaveLength(2)
  })

  it('merges the history with new readings in time order, each once, within the window and one before it', () => {
    const merged = mergeSamples([snapshot(9000), snapshot(1000), snapshot(5000), snapshot(7000), snapshot(9000), snapshot(3000)], 5000)
    expect(merged.map((sample) => sample.at)).toEqual([3000, 5000, 7000, 9000])
    expect(mergeSamples([], 5000)).toEqual([])
  })
})
