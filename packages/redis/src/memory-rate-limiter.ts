import type { RateDecision, RateLimit, RateLimiting } from './rate-limiter.js'

interface Bucket {
  tokens: number
  at: number
}

/**
 * The same token buckets as `RateLimiter`, in this process's memory: for limits only one process
 * ever applies (a WeChat account's bot process is the only one that ingests and sends for it),
 * so they cost no round trip. Forgotten when the process restarts; idle buckets (full again) are
 * dropped once there are more than `maxKeys`.
 */
export class MemoryRateLimiter implements RateLimiting {
  private readonly buckets = new Map<string, Bucket & { limit: RateLimit }>()
  private readonly windows = new Map<string, number>()

  constructor(private readonly options: { maxKeys?: number; now?: () => number } = {}) {}

  take(key: string, limit: RateLimit): Promise<RateDecision> {
    const now = this.now()
    const perMs = limit.perMinute / 60_000
    const bucket = this.buckets.get(key)
    const tokens = bucket ? Math.min(limit.capacity, bucket.tokens + (now - bucket.at) * perMs) : limit.capacity
    const allowed = tokens >= 1
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now, limit })
    if (this.buckets.size > this.maxKeys) this.dropIdle(now)
    return Promise.resolve({ allowed, retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) / perMs) })
  }

  firstInWindow(key: string, windowMs: number): Promise<boolean> {
    const now = this.now()
    const until = this.windows.get(key)
    if (until !== undefined && until > now) return Promise.resolve(false)
    this.windows.set(key, now + Math.max(1, windowMs))
    if (this.windows.size > this.maxKeys) for (const [k, end] of this.windows) if (end <= now) this.windows.delete(k)
    return Promise.resolve(true)
  }

  private get maxKeys(): number {
    return this.options.maxKeys ?? 100_000
  }

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }

  private dropIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * (bucket.limit.perMinute / 60_000) >= bucket.limit.capacity) this.buckets.delete(key)
    }
  }
}
