import { Redis } from 'ioredis'
import { testRedisUrl, uniqueName } from './test-env.js'

/** A key prefix of the test's own on the shared Redis, with a cleanup that deletes its keys. */
export async function createTestRedisPrefix(): Promise<{ prefix: string; url: string; cleanup(): Promise<void> }> {
  const prefix = uniqueName('test')
  return {
    prefix,
    url: testRedisUrl,
    async cleanup() {
      const redis = new Redis(testRedisUrl)
      try {
        let cursor = '0'
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
          cursor = next
          if (keys.length) await redis.del(...keys)
        } while (cursor !== '0')
      } finally {
        redis.disconnect()
      }
    },
  }
}
