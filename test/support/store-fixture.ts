import type { RedisKeys } from '@chorus/pool'
import type { RedisClient } from '@chorus/redis'
import { redisFixture } from './redis-fixture.js'
import { createTestDatabase, type TestDatabase } from './test-database.js'

export interface Store {
  database: TestDatabase
  redis: RedisClient
  redisUrl: string
  keys: RedisKeys
}

/**
 * For the enclosing file or `describe`: a migrated database and a Redis key prefix of its own,
 * made before its first test and dropped after its last. Returns a getter, since they exist only
 * once `beforeAll` has run.
 */
export function storeFixture(): () => Store {
  const redis = redisFixture()
  let database: TestDatabase | undefined
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database?.drop()
  })
  return () => {
    if (!database) throw new Error('the store fixture has not started')
    const { redis: connection, url, keys } = redis()
    return { database, redis: connection, redisUrl: url, keys }
  }
}
