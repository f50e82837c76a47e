import type { ConversationKeys } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import { redisFixture } from './redis-fixture.js'
import { useTestDatabase, type TestDatabase } from './test-database.js'

export interface Store {
  database: TestDatabase
  redis: RedisClient
  redisUrl: string
  keys: ConversationKeys
}

/**
 * For the enclosing file or `describe`: a migrated database and a Redis key prefix of its own,
 * made before its first test and dropped after its last. Returns a getter, since they exist only
 * once `beforeAll` has run.
 */
export function storeFixture(): () => Store {
  const redis = redisFixture()
  const database = useTestDatabase()
  return () => {
    const { redis: connection, url, keys } = redis()
    return { database: database(), redis: connection, redisUrl: url, keys }
  }
}
