import type { PoolKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'

// Pool metrics live in Redis so that every worker process adds to the same series and the API's
// /metrics shows the whole pool. Histograms are cumulative buckets, as Prometheus expects.
const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
// A histogram's bucket fields in Redis, in order: each holds the observations of its bucket
// alone (the last, past every bound); Prometheus's cumulative counts are summed when read.
const bucketBounds = [...secondsBuckets.map(String), '+Inf']

/** Cumulative counts for `bucketBounds` from a histogram's per-bucket fields. */
function cumulate(perBucket: Map<string, number>): number[] {
  let total = 0
  return bucketBounds.map((le) => (total += perBucket.get(le) ?? 0))
}

export const counterHelp = {
  chorus_prompts_total: 'Prompts finished by the pool, by replica and outcome',
  chorus_completion_tokens_total: 'Tokens generated, by replica',
  chorus_rejections_total: 'Prompts refused before queuing, by reason',
} as const

export const histogramHelp = {
  chorus_queue_wait_seconds: 'Time from queuing a prompt to a replica starting it',
  chorus_time_to_first_token_seconds: 'Time from a replica starting a prompt to its first token',
  chorus_generation_seconds: 'Time a replica spent on a prompt',
} as const

type Labels = Record<string, string>

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
  return parts.join(',')
}

/** How long additions gather in a process before they go to Redis together. */
export const metricsFlushMs = 1000

/**
 * Adds to the pool's shared counters and histograms. Additions gather in the process and go to
 * Redis together every `flushMs` (one pipeline of HINCRBY for every series that changed), rather
 * than some twenty commands per prompt; `flush()` sends what is gathered now (call it on close).
 */
export class PoolMetrics {
  // Redis key → field → amount to add.
  private readonly pending = new Map<string, Map<string, number>>()
  // Histogram series (key and labels) → observations per bucket (the first bucket each fits, the
  // last slot for none) and their sum: made cumulative when they are sent.
  private readonly observed = new Map<string, { key: string; base: string; counts: number[]; sum: number }>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: PoolKeys,
    /** Told when a flush fails (metrics never break a prompt: the owner logs it). */
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly flushMs = metricsFlushMs,
  ) {}

  count(name: keyof typeof counterHelp, labels: Labels, by = 1): void {
    this.add(this.keys.metrics('counters'), `${name}{${labelText(labels)}}`, by)
  }

  observe(name: keyof typeof histogramHelp, labels: Labels, seconds: number): void {
    const base = labelText(labels)
    const series = `${name}\u0000${base}`
    let histogram = this.observed.get(series)
    if (!histogram) {
      histogram = {
        key: this.keys.metrics(`histogram:${name}`),
        base,
        counts: new Array<number>(secondsBuckets.length + 1).fill(0),
        sum: 0,
      }
      this.observed.set(series, histogram)
    }
    const bucket = secondsBuckets.findIndex((le) => seconds <= le)
    histogram.counts[bucket === -1 ? secondsBuckets.length : bucket]!++
    histogram.sum += seconds
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref()
  }

  /** Sends what has gathered; when Redis is away it is kept for the next flush. Never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    this.flushing = this.flushing.then(() => this.send())
    return this.flushing
  }

  private add(key: string, field: string, by: number): void {
    let fields = this.pending.get(key)
    if (!fields) this.pending.set(key, (fields = new Map()))
    fields.set(field, (fields.get(field) ?? 0) + by)
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref()
  }

  /**
   * Moves the observations gathered into `pending`: per bucket, only the buckets observed (made
   * cumulative when read), so a flush adds a few fields per histogram however many buckets it has.
   */
  private gatherObserved(): void {
    for (const { key, base, counts, sum } of this.observed.values()) {
      counts.forEach((count, i) => {
        if (count > 0) this.add(key, `${base}|${bucketBounds[i]}`, count)
      })
      this.add(key, `${base}|sum`, sum)
    }
    this.observed.clear()
  }

  private async send(): Promise<void> {
    this.gatherObserved()
    if (this.pending.size === 0) return
    const batch = [...this.pending].map(([key, fields]) => [key, [...fields]] as const)
    this.pending.clear()
    const pipeline = this.redis.pipeline()
    // HINCRBYFLOAT for every field: a histogram's sum holds fractions, and it adds integers as well.
    for (const [key, fields] of batch) for (const [field, by] of fields) pipeline.hincrbyfloat(key, field, by)
    let results: Array<[Error | null, unknown]> | null
    try {
      results = await pipeline.exec()
    } catch (error) {
      // Redis is away and took none of it: keep the amounts for the next flush.
      for (const [key, fields] of batch) for (const [field, by] of fields) this.add(key, field, by)
      this.onError(error)
      return
    }
    const refused = results?.find(([error]) => error)
    if (refused) this.onError(refused[0])
  }
}

/** The pool's counters and histograms in Prometheus text format. */
export async function renderPoolMetrics(redis: RedisClient, keys: PoolKeys): Promise<string> {
  const lines: string[] = []
  const counters = await redis.hgetall(keys.metrics('counters'))
  for (const [name, help] of Object.entries(counterHelp)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
    for (const [series, value] of Object.entries(counters)) if (series.startsWith(`${name}{`)) lines.push(`${series} ${value}`)
  }
  for (const [name, help] of Object.entries(histogramHelp)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
    const fields = await redis.hgetall(keys.metrics(`histogram:${name}`))
    const byLabels = new Map<string, Map<string, number>>()
    for (const [field, value] of Object.entries(fields)) {
      const cut = field.lastIndexOf('|')
      const labels = field.slice(0, cut)
      if (!byLabels.has(labels)) byLabels.set(labels, new Map())
      byLabels.get(labels)!.set(field.slice(cut + 1), Number(value))
    }
    for (const [labels, values] of byLabels) {
      const sep = labels ? ',' : ''
      const cumulative = cumulate(values)
      bucketBounds.forEach((le, i) => lines.push(`${name}_bucket{${labels}${sep}le="${le}"} ${cumulative[i]}`))
      lines.push(`${name}_sum{${labels}} ${values.get('sum') ?? 0}`, `${name}_count{${labels}} ${cumulative.at(-1)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** A histogram summed over its label sets: cumulative counts per bucket bound, count and sum. */
export interface HistogramSnapshot {
  buckets: Array<{ le: number; count: number }>
  count: number
  sum: number
}

/** The pool's counters (summed over labels, by the label `by` where given) and histograms, now. */
export interface PoolSnapshot {
  at: number
  prompts: Record<string, number>
  completionTokens: number
  rejections: number
  histograms: Record<keyof typeof histogramHelp, HistogramSnapshot>
}

function labelValue(series: string, label: string): string {
  return new RegExp(`${label}="([^"]*)"`).exec(series)?.[1] ?? ''
}

/**
 * The pool's shared counters and histograms as numbers, for the admin dashboard: it takes one
 * snapshot every few seconds and charts the differences (tokens per second, wait p95, errors).
 */
export async function poolSnapshot(redis: RedisClient, keys: PoolKeys): Promise<PoolSnapshot> {
  const counters = await redis.hgetall(keys.metrics('counters'))
  const prompts: Record<string, number> = {}
  let completionTokens = 0
  let rejections = 0
  for (const [series, raw] of Object.entries(counters)) {
    const value = Number(raw)
    if (series.startsWith('chorus_prompts_total{')) {
      const outcome = labelValue(series, 'outcome')
      prompts[outcome] = (prompts[outcome] ?? 0) + value
    } else if (series.startsWith('chorus_completion_tokens_total{')) completionTokens += value
    else if (series.startsWith('chorus_rejections_total{')) rejections += value
  }
  const histograms = {} as PoolSnapshot['histograms']
  for (const name of Object.keys(histogramHelp) as Array<keyof typeof histogramHelp>) {
    const fields = await redis.hgetall(keys.metrics(`histogram:${name}`))
    const byBound = new Map<string, number>()
    for (const [field, value] of Object.entries(fields)) {
      const bound = field.slice(field.lastIndexOf('|') + 1)
      byBound.set(bound, (byBound.get(bound) ?? 0) + Number(value))
    }
    const cumulative = cumulate(byBound)
    histograms[name] = {
      buckets: secondsBuckets.map((le, i) => ({ le, count: cumulative[i]! })),
      count: cumulative.at(-1)!,
      sum: byBound.get('sum') ?? 0,
    }
  }
  return { at: Date.now(), prompts, completionTokens, rejections, histograms }
}
