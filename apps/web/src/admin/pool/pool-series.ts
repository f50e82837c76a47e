import type { Histogram, PoolSnapshot } from '../../api/admin-types.js'

/** One value at one time (ms); `null`: nothing to say for that interval (no prompt started, say). */
export interface Point {
  t: number
  v: number | null
}

/** The dashboard's charts, computed from consecutive snapshots of `GET /api/pool`. */
export interface PoolSeries {
  queueTotal: Point[]
  queuedByReplica: Map<string, Point[]>
  inFlightByReplica: Map<string, Point[]>
  tokensPerSecond: Point[]
  waitP95: Point[]
  ttftP95: Point[]
  /** Prompts that ended other than completed or cancelled (failed, timed out, retried…), per interval. */
  errors: Point[]
  /** Prompts refused before queuing (the pool was busy), per interval. */
  rejections: Point[]
}

/** Outcomes that are not errors. */
const fine = new Set(['completed', 'cancelled'])

export const queueWaitHistogram = 'chorus_queue_wait_seconds'
export const firstTokenHistogram = 'chorus_time_to_first_token_seconds'

/**
 * The q-quantile of observations in cumulative buckets (as Prometheus' histogram_quantile):
 * linear within the bucket the rank falls in; beyond the last finite bound, that bound. Null
 * without observations.
 */
export function histogramQuantile(q: number, buckets: { le: number; count: number }[], total: number): number | null {
  if (total <= 0 || buckets.length === 0) return null
  const rank = q * total
  let lowerBound = 0
  let lowerCount = 0
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      const inBucket = bucket.count - lowerCount
      if (inBucket <= 0) return bucket.le
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket)
    }
    lowerBound = bucket.le
    lowerCount = bucket.count
  }
  return buckets.at(-1)!.le
}

/** The observations made between two snapshots of a cumulative histogram; null after a reset (a count went down). */
export function histogramDelta(
  before: Histogram | undefined,
  after: Histogram | undefined,
): { buckets: { le: number; count: number }[]; count: number } | null {
  if (!after) return null
  const previous = new Map((before?.buckets ?? []).map((bucket) => [bucket.le, bucket.count]))
  const buckets = after.buckets.map((bucket) => ({ le: bucket.le, count: bucket.count - (previous.get(bucket.le) ?? 0) }))
  const count = after.count - (before?.count ?? 0)
  if (count < 0 || buckets.some((bucket) => bucket.count < 0)) return null
  return { buckets, count }
}

/** p95 of what was observed between two snapshots. */
function intervalP95(before: PoolSnapshot, after: PoolSnapshot, name: string): number | null {
  const delta = histogramDelta(before.histograms[name], after.histograms[name])
  return delta ? histogramQuantile(0.95, delta.buckets, delta.count) : null
}

const errorCount = (snapshot: PoolSnapshot) =>
  Object.entries(snapshot.prompts).reduce((sum, [outcome, count]) => (fine.has(outcome) ? sum : sum + count), 0)

/** A counter's growth; a counter that went down was reset, so the interval says nothing. */
const growth = (before: number, after: number) => (after >= before ? after - before : null)

function push(series: Map<string, Point[]>, key: string, point: Point): void {
  const points = series.get(key)
  if (points) points.push(point)
  else series.set(key, [point])
}

/**
 * Every chart's points from the snapshots, oldest first; rates and quantiles need two snapshots,
 * so they start at the second, and say nothing across a gap longer than `maxGapMs` (the
 * dashboard was not open).
 */
export function poolSeries(samples: PoolSnapshot[], maxGapMs = 10_000): PoolSeries {
  const series: PoolSeries = {
    queueTotal: [],
    queuedByReplica: new Map(),
    inFlightByReplica: new Map(),
    tokensPerSecond: [],
    waitP95: [],
    ttftP95: [],
    errors: [],
    rejections: [],
  }
  samples.forEach((sample, index) => {
    const t = sample.at
    // Prompts waiting for a replica of their model to come up count too.
    series.queueTotal.push({ t, v: sample.unrouted + sample.replicas.reduce((sum, replica) => sum + replica.queued, 0) })
    for (const replica of sample.replicas) {
      push(series.queuedByReplica, replica.id, { t, v: replica.queued })
      push(series.inFlightByReplica, replica.id, { t, v: replica.inFlight })
    }
    const before = samples[index - 1]
    if (!before) return
    if (sample.at - before.at > maxGapMs) {
      for (const points of [series.tokensPerSecond, series.waitP95, series.ttftP95, series.errors, series.rejections])
        points.push({ t, v: null })
      return
    }
    const seconds = (sample.at - before.at) / 1000
    const tokens = growth(before.completionTokens, sample.completionTokens)
    series.tokensPerSecond.push({ t, v: tokens === null || seconds <= 0 ? null : tokens / seconds })
    series.waitP95.push({ t, v: intervalP95(before, sample, queueWaitHistogram) })
    series.ttftP95.push({ t, v: intervalP95(before, sample, firstTokenHistogram) })
    series.errors.push({ t, v: growth(errorCount(before), errorCount(sample)) })
    series.rejections.push({ t, v: growth(before.rejections, sample.rejections) })
  })
  return series
}

/**
 * `samples` in time order, each moment once, within `windowMs` of the newest: one sample before
 * the window is kept, so the window's first interval has a rate too.
 */
export function mergeSamples(samples: PoolSnapshot[], windowMs: number): PoolSnapshot[] {
  const byTime = new Map(samples.map((sample) => [sample.at, sample]))
  const ordered = [...byTime.values()].sort((a, b) => a.at - b.at)
  const newest = ordered.at(-1)
  if (!newest) return []
  const firstInWindow = ordered.findIndex((sample) => sample.at >= newest.at - windowMs)
  return ordered.slice(Math.max(0, firstInWindow - 1))
}

/** The latest value of a series that has one. */
export function latest(points: Point[]): number | null {
  for (let index = points.length - 1; index >= 0; index--) {
    const value = points[index]!.v
    if (value !== null) return value
  }
  return null
}
