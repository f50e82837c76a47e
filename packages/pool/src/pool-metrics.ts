import type { RedisKeys } from './keys.js'
import type { Redis } from './redis.js'

// Pool metrics live in Redis so that every worker process adds to the same series and the API's
// /metrics shows the whole pool. Histograms are cumulative buckets, as Prometheus expects.
const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

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

/** Adds to the pool's shared counters and histograms. */
export class PoolMetrics {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async count(name: keyof typeof counterHelp, labels: Labels, by = 1): Promise<void> {
    await this.redis.hincrbyfloat(this.keys.metrics('counters'), `${name}{${labelText(labels)}}`, by)
  }

  async observe(name: keyof typeof histogramHelp, labels: Labels, seconds: number): Promise<void> {
    const key = this.keys.metrics(`hist:${name}`)
    const base = labelText(labels)
    const pipeline = this.redis.pipeline()
    for (const le of secondsBuckets) if (seconds <= le) pipeline.hincrby(key, `${base}|${le}`, 1)
    pipeline.hincrby(key, `${base}|+Inf`, 1)
    pipeline.hincrbyfloat(key, `${base}|sum`, seconds)
    await pipeline.exec()
  }
}

/** The pool's counters and histograms in Prometheus text format. */
export async function renderPoolMetrics(redis: Redis, keys: RedisKeys): Promise<string> {
  const lines: string[] = []
  const counters = await redis.hgetall(keys.metrics('counters'))
  for (const [name, help] of Object.entries(counterHelp)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
    for (const [series, value] of Object.entries(counters)) if (series.startsWith(`${name}{`)) lines.push(`${series} ${value}`)
  }
  for (const [name, help] of Object.entries(histogramHelp)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
    const fields = await redis.hgetall(keys.metrics(`hist:${name}`))
    const byLabels = new Map<string, Map<string, string>>()
    for (const [field, value] of Object.entries(fields)) {
      const cut = field.lastIndexOf('|')
      const labels = field.slice(0, cut)
      if (!byLabels.has(labels)) byLabels.set(labels, new Map())
      byLabels.get(labels)!.set(field.slice(cut + 1), value)
    }
    for (const [labels, values] of byLabels) {
      const sep = labels ? ',' : ''
      for (const le of [...secondsBuckets.map(String), '+Inf']) {
        lines.push(`${name}_bucket{${labels}${sep}le="${le}"} ${values.get(le) ?? 0}`)
      }
      lines.push(`${name}_sum{${labels}} ${values.get('sum') ?? 0}`, `${name}_count{${labels}} ${values.get('+Inf') ?? 0}`)
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
export async function poolSnapshot(redis: Redis, keys: RedisKeys): Promise<PoolSnapshot> {
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
    const fields = await redis.hgetall(keys.metrics(`hist:${name}`))
    const byBound = new Map<string, number>()
    for (const [field, value] of Object.entries(fields)) {
      const bound = field.slice(field.lastIndexOf('|') + 1)
      byBound.set(bound, (byBound.get(bound) ?? 0) + Number(value))
    }
    histograms[name] = {
      buckets: secondsBuckets.map((le) => ({ le, count: byBound.get(String(le)) ?? 0 })),
      count: byBound.get('+Inf') ?? 0,
      sum: byBound.get('sum') ?? 0,
    }
  }
  return { at: Date.now(), prompts, completionTokens, rejections, histograms }
}
