import { redisScript, type RedisClient } from './connect.js'

/** Where a limit's bucket lives (each domain names its own keys). */
export interface RateLimitKeys {
  rateLimit(key: string): string
}

// A token bucket per key, refilled continuously, checked and taken atomically in Redis (on
// Redis's own clock, so every process agrees). Returns {allowed, ms until one token is back}.
const takeToken = redisScript(
  'chorusTakeToken',
  `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) * per_ms)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return {allowed, wait}
`,
)

export interface RateLimit {
  /** Burst size. */
  capacity: number
  /** Tokens regained per minute. */
  perMinute: number
}

export interface RateDecision {
  allowed: boolean
  retryAfterMs: number
}

/** Token buckets per key (per group, per user, per account), wherever they are kept. */
export interface RateLimiting {
  take(key: string, limit: RateLimit): Promise<RateDecision>
  /** True the first time `key` is seen within `windowMs` (e.g. to send one "busy" notice, not one per message). */
  firstInWindow(key: string, windowMs: number): Promise<boolean>
}

/** Per-key token buckets in Redis, shared by every process (per group, per user, per account). */
export class RateLimiter implements RateLimiting {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RateLimitKeys,
  ) {}

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    const [allowed, wait] = (await takeToken(this.redis, this.keys.rateLimit(key), limit.capacity, limit.perMinute / 60_000)) as [
      number,
      number,
    ]
    return { allowed: allowed === 1, retryAfterMs: wait }
  }

  async firstInWindow(key: string, windowMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.rateLimit(`once:${key}`), '1', 'PX', Math.max(1, windowMs), 'NX')) === 'OK'
  }
}
