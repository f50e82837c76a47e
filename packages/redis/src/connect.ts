import { Cluster, Redis } from 'ioredis'

/**
 * One Redis connection, to a single server or a Redis Cluster. Every command the repo sends works
 * on both: what one MULTI, pipeline or script touches shares a hash tag (docs/decisions/0002).
 */
export type RedisClient = Redis | Cluster

/** Where Redis is: a single server's URL, or the nodes of a Redis Cluster (`host:port`, any of them). */
export type RedisTarget = { url: string } | { clusterNodes: Array<{ host: string; port: number }> }

export interface ConnectOptions {
  /** Blocking readers, subscribers and BullMQ workers never give up retrying a command. */
  blocking?: boolean
  /** Shown by CLIENT LIST. */
  name?: string
}

/**
 * The target a process's settings name: `REDIS_CLUSTER_NODES` (`host:port,host:port,…`) when set,
 * else `REDIS_URL`. On a cluster, `REDIS_URL`'s user and password (if any) are used for every node.
 */
export function redisTarget(settings: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string }): RedisTarget {
  const nodes = parseClusterNodes(settings.REDIS_CLUSTER_NODES ?? '')
  return nodes.length > 0 ? { clusterNodes: nodes } : { url: settings.REDIS_URL }
}

/** `host:port,host:port` → nodes; throws naming the entry that is not `host:port`. */
export function parseClusterNodes(list: string): Array<{ host: string; port: number }> {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry)
      const port = Number(match?.[2])
      if (!match || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port`)
      return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
    })
}

/** What every connection to a server or a cluster's node is opened with. */
function nodeOptions(options: ConnectOptions): { connectionName?: string; maxRetriesPerRequest: number | null } {
  return {
    connectionName: options.name,
    // BullMQ requires null on its workers' connections; elsewhere a command fails after 3 tries.
    maxRetriesPerRequest: options.blocking ? null : 3,
  }
}

/** Opens a connection to `target` (a URL string is a single server). */
export function connectRedis(target: RedisTarget | string, options: ConnectOptions = {}): RedisClient {
  const where = typeof target === 'string' ? { url: target } : target
  if ('url' in where) return new Redis(where.url, { ...nodeOptions(options), enableAutoPipelining: false, lazyConnect: false })
  return new Cluster(where.clusterNodes, {
    redisOptions: nodeOptions(options),
    enableAutoPipelining: false,
    lazyConnect: false,
    // By default ioredis never reconnects to a node it lost, waiting for a MOVED instead; a master
    // restarted on its own address sends none.
    clusterNodeRetryStrategy: (times) => Math.min(100 * times, 2000),
  })
}

/** A new connection to wherever `redis` is connected, e.g. a blocking reader beside a command connection. */
export function duplicateRedis(redis: RedisClient, options: ConnectOptions = {}): RedisClient {
  if (redis instanceof Cluster)
    return redis.duplicate(undefined, { redisOptions: { ...redis.options.redisOptions, ...nodeOptions(options) } })
  return redis.duplicate(nodeOptions(options))
}

/** Creates consumer group `group` on stream `key` (and the stream) unless it exists; `from` '0' reads the whole stream, '$' only what comes next. */
export async function ensureConsumerGroup(redis: RedisClient, key: string, group: string, from: '0' | '$'): Promise<void> {
  await redis.xgroup('CREATE', key, group, from, 'MKSTREAM').catch((error: Error) => {
    if (!error.message.includes('BUSYGROUP')) throw error
  })
}

/**
 * A Lua script run by EVALSHA (ioredis's `defineCommand`, defined on each connection the first
 * time it runs there): the script is sent in full only when Redis does not know it yet. Its keys
 * must share a hash tag (one slot) to run on a cluster.
 */
export function redisScript(
  name: string,
  lua: string,
  numberOfKeys = 1,
): (redis: RedisClient, ...keysAndArgs: Array<string | number>) => Promise<unknown> {
  return (redis, ...keysAndArgs) => {
    const commands = redis as unknown as Record<string, ((...args: Array<string | number>) => Promise<unknown>) | undefined>
    if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua })
    return commands[name]!(...keysAndArgs)
  }
}
