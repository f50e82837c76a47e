import { connectRedis, RedisKeys, type Redis } from '@chorus/pool'
import { createTestDatabase, type TestDatabase } from './test-database.js'
import { createTestRedisPrefix } from './test-redis.js'

export interface Store {
  database: TestDatabase
  redis: Redis
  redisUrl: string
  keys: RedisKeys
}

/**
 * For the enclosing file or `describe`: a migrated database and a Redis key prefix of its own,
 * made before its first test and dropped after its last. Returns a getter, since they exist only
 * once `beforeAll` has run.
 */
export function storeFixture(): () => Store {
  let store: Store | undefined
  let cleanupRedis: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const database = await createTestDatabase()
    const prefix = await createTestRedisPrefix()
    cleanupRedis = prefix.cleanup
    store = { database, redis: connectRedis(prefix.url), redisUrl: prefix.url, keys: new RedisKeys(prefix.prefix) }
  })
  afterAll(async () => {
    store?.redis.disconnect()
    await cleanupRedis?.()
    await store?.database.drop()
  })
  return () => {
    if (!store) throw new Error('the store fixture has not started')
    return store
  }
}
