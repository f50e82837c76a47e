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

/**
 * A Lua script run by EVALSHA (ioredis's `defineCommand`, defined on each connection the first
 * time it runs there): the script is sent in full only when Redis does not know it yet.
 */
export function redisScript(
  name: string,
  lua: string,
  numberOfKeys = 1,
): (redis: Redis, ...keysAndArgs: Array<string | number>) => Promise<unknown> {
  return (redis, ...keysAndArgs) => {
    const commands = redis as unknown as Record<string, ((...args: Array<string | number>) => Promise<unknown>) | undefined>
    if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua })
    return commands[name]!(...keysAndArgs)
  }
}
