import { Redis } from 'ioredis'

/** Opens a Redis connection; `blocking` connections (workers, stream readers) never give up retrying. */
export function connectRedis(url: string, options: { blocking?: boolean; name?: string } = {}): Redis {
  return new Redis(url, {
    connectionName: options.name,
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableAutoPipelining: false,
    lazyConnect: false,
  })
}

export type { Redis }

/** Creates consumer group `group` on stream `key` (and the stream) unless it exists; `from` '0' reads the whole stream, '$' only what comes next. */
export async function ensureConsumerGroup(redis: Redis, key: string, group: string, from: '0' | '$'): Promise<void> {
  await redis.xgroup('CREATE', key, group, from, 'MKSTREAM').catch((error: Error) => {
    if (!error.message.includes('BUSYGROUP')) throw error
  })
}
