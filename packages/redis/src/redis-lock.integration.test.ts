import { redisFixture } from '../../../test/support/redis-fixture.js'
import { withRedisLock } from './redis-lock.js'

// Real Redis: the lock one process at a time sweeps or rescues under.
const fixture = redisFixture()

describe('withRedisLock', () => {
  it('runs the work of one holder at a time, and frees the lock after it', async () => {
    const { redis, prefix } = fixture()
    const key = `${prefix}:lock:a`
    let release!: () => void
    const first = withRedisLock(redis, key, 30_000, () => new Promise<string>((resolve) => (release = () => resolve('first'))))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await withRedisLock(redis, key, 30_000, async () => 'second')).toBeUndefined()
    release()
    expect(await first).toBe('first')
    expect(await withRedisLock(redis, key, 30_000, async () => 'third')).toBe('third')
  })

  it('does not free a lock another holder took after its own expired', async () => {
    const { redis, prefix } = fixture()
    const key = `${prefix}:lock:b`
    await withRedisLock(redis, key, 50, async () => {
      await new Promise((resolve) => setTimeout(resolve, 120))
      // Expired meanwhile: another process takes the lock.
      expect(await redis.set(key, 'other', 'PX', 30_000, 'NX')).toBe('OK')
    })
    expect(await redis.get(key)).toBe('other')
  })
})
