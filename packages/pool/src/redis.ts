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
