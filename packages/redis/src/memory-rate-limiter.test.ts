import { MemoryRateLimiter } from './memory-rate-limiter.js'

describe('the in-process rate limiter', () => {
  let now = 0
  const clock = () => now
  beforeEach(() => (now = 1_000_000))

  it('lets a burst through, then says how long until the next token, and refills with time', async () => {
    const limiter = new MemoryRateLimiter({ now: clock })
    const limit = { capacity: 2, perMinute: 60 }
    const first = [await limiter.take('g', limit), await limiter.take('g', limit), await limiter.take('g', limit)]
    expect(first.map((d) => d.allowed)).toEqual([true, true, false])
    expect(first[2]!.retryAfterMs).toBe(1000)
    now += 500
    expect((await limiter.take('g', limit)).retryAfterMs).toBe(500)
    now += 1000
    expect((await limiter.take('g', limit)).allowed).toBe(true)
    // Another key has its own bucket.
    expect((await limiter.take('other', limit)).allowed).toBe(true)
  })

  it('answers true once per window', async () => {
    const limiter = new MemoryRateLimiter({ now: clock })
    expect(await limiter.firstInWindow('n', 1000)).toBe(true)
    expect(await limiter.firstInWindow('n', 1000)).toBe(false)
    now += 1000
    expect(await limiter.firstInWindow('n', 1000)).toBe(true)
  })

  it('forgets idle buckets beyond its bound, but not a bucket still short of tokens', async () => {
    const limiter = new MemoryRateLimiter({ now: clock, maxKeys: 2 })
    const limit = { capacity: 1, perMinute: 60 }
    await limiter.take('busy', limit)
    await limiter.take('idle-1', limit)
    now += 5000
    await limiter.take('busy', limit)
    // Over the bound: idle-1 refilled and is dropped; busy just took its token and is kept.
    await limiter.take('new', limit)
    expect((await limiter.take('busy', limit)).allowed).toBe(false)
  })
})
