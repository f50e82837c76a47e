import { ConversationKeys } from '@chorus/conversation'
import { connectRedis, type RedisClient } from '@chorus/redis'
import { createTestRedisPrefix } from './test-redis.js'

export interface RedisFixture {
  redis: RedisClient
  url: string
  prefix: string
  keys: ConversationKeys
}

/**
 * For the enclosing file or `describe`: a Redis key prefix of its own and a connection, made
 * before its first test; the connection closed and the prefix's keys deleted after its last.
 * Returns a getter, since they exist only once `beforeAll` has run.
 */
export function redisFixture(): () => RedisFixture {
  let fixture: RedisFixture | undefined
  let cleanup: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const test = await createTestRedisPrefix()
    cleanup = test.cleanup
    fixture = { redis: connectRedis(test.url), url: test.url, prefix: test.prefix, keys: new ConversationKeys(test.prefix) }
  })
  afterAll(async () => {
    fixture?.redis.disconnect()
    await cleanup?.()
  })
  return () => {
    if (!fixture) throw new Error('the Redis fixture has not started')
    return fixture
  }
}
