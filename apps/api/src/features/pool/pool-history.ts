import type { Logger } from 'pino'
import { poolSnapshot, unroutedQueueName, type Dispatcher, type PoolKeys } from '@chorus/pool'
import type { PoolReading } from '@chorus/protocol'
import type { RedisClient } from '@chorus/redis'

/** The pool now (`GET /api/pool`): each live replica's queue and in-flight prompts, and the shared counters and histograms. */
export async function readPool(deps: { dispatcher: Dispatcher; redis: RedisClient; keys: PoolKeys }): Promise<PoolReading> {
  const [live, snapshot, unrouted] = await Promise.all([
    deps.dispatcher.registry.live(),
    poolSnapshot(deps.redis, deps.keys),
    deps.dispatcher.queue(unroutedQueueName).getJobCounts('waiting', 'prioritized', 'delayed'),
  ])
  const replicas = live.map((r) => ({
    id: r.id,
    model: r.model,
    engine: r.engine,
    up: !r.down,
    capacity: r.capacity,
    inFlight: r.inFlight,
    queued: Math.max(0, r.load - r.inFlight),
  }))
  // Prompts waiting while no replica of their model is live count towards the queue too.
  return { ...snapshot, workers: live.length, replicas, unrouted: Object.values(unrouted).reduce((a, b) => a + b, 0) }
}

/** How far back the dashboard's charts go. */
export const poolHistoryWindowMs = 5 * 60_000

/**
 * The pool's recent past, so the dashboard's charts have their last five minutes the moment it
 * opens: this API process reads the pool every `intervalMs` and keeps the readings of the window
 * (and one before it, so the window's first interval has a rate too), in memory: a restarted
 * process starts a new history, and each API process keeps its own.
 */
export class PoolHistory {
  private readings: PoolReading[] = []
  private timer: NodeJS.Timeout | undefined
  private reading: Promise<void> | undefined

  constructor(
    private readonly deps: { dispatcher: Dispatcher; redis: RedisClient; keys: PoolKeys; logger: Logger },
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.sample(), this.intervalMs)
    this.timer.unref()
    void this.sample()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.reading
  }

  /** The readings of the last five minutes, oldest first. */
  samples(): PoolReading[] {
    return [...this.readings]
  }

  /** Keeps `reading` (one the dashboard asked for, say) with the history. */
  keep(reading: PoolReading): void {
    const last = this.readings.at(-1)
    if (last && reading.at <= last.at) return
    this.readings.push(reading)
    const oldest = reading.at - poolHistoryWindowMs
    const firstInWindow = this.readings.findIndex((sample) => sample.at >= oldest)
    if (firstInWindow > 1) this.readings.splice(0, firstInWindow - 1)
  }

  private sample(): Promise<void> {
    // One reading at a time: a slow Redis must not pile them up.
    this.reading ??= readPool(this.deps)
      .then((reading) => this.keep(reading))
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'reading the pool for its history failed'))
      .finally(() => (this.reading = undefined))
    return this.reading
  }
}
