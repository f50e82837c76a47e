import { randomUUID } from 'node:crypto'
import { redisScript, type RedisClient } from './connect.js'

const releaseIfOwner = redisScript(
  'chorusReleaseLock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
)

/**
 * Runs `work` while holding the Redis lock `key` (for at most `ttlMs`, so a process that dies
 * holding it frees it), and returns its result; returns `undefined` without running it when
 * another process holds the lock. Released only if still ours: work that outlasted `ttlMs` does
 * not free a lock another process has taken since.
 */
export async function withRedisLock<T>(redis: RedisClient, key: string, ttlMs: number, work: () => Promise<T>): Promise<T | undefined> {
  const token = randomUUID()
  if (!(await redis.set(key, token, 'PX', ttlMs, 'NX'))) return undefined
  try {
    return await work()
  } finally {
    await releaseRedisLock(redis, key, token)
  }
}

/** Deletes the lock `key` if `owner` (the value it was taken with) still holds it. */
export async function releaseRedisLock(redis: RedisClient, key: string, owner: string): Promise<void> {
  await releaseIfOwner(redis, key, owner)
}
