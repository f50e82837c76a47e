import { redisFixture } from '../../../test/support/redis-fixture.js'
import { RateLimiter } from './rate-limiter.js'
import { Redis } from 'ioredis'

// Real Redis: the token buckets every process shares.
const fixture = redisFixture()

describe('the rate limiter', () => {
  it('lets a burst through, then says how long until the next token', async () => {
    const { redis, keys } = fixture()
    const limiter = new RateLimiter(redis, keys)
    const limit = { capacity: 2, perMinute: 60 }
    const decisions = [await limiter.take('burst', limit), await limiter.take('burst', limit), await limiter.take('burst', limit)]
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false])
    expect(decisions[2]!.retryAfterMs).toBeGreaterThan(0)
    expect(decisions[2]!.retryAfterMs).toBeLessThanOrEqual(1000)
  })

  it('sends its script once: every later take is an EVALSHA', async () => {
    const { url, keys } = fixture()
    const sent: string[] = []
    const counted = new Redis(url)
    const send = counted.sendCommand.bind(counted)
    counted.sendCommand = (command, stream) => {
      sent.push(command.name)
      return send(command, stream)
    }
    const perTake: string[][] = []
    try {
      const limiter = new RateLimiter(counted, keys)
      for (let i = 0; i < 3; i++) {
        sent.length = 0
        await limiter.take(`sha-${i}`, { capacity: 5, perMinute: 60 })
        perTake.push([...sent])
      }
    } finally {
      counted.disconnect()
    }
    // Once Redis knows the script, a take is one EVALSHA and nothing else.
    expect(perTake.slice(1)).toEqual([['evalsha'], ['evalsha']])
  })
})
