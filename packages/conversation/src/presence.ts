import { randomUUID } from 'node:crypto'
import type { ConversationKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'

// A console refreshes its presence more often than this; a crashed one drops out after it.
export const presenceTtlMs = 45_000

/**
 * Which agents are online (a console holds the live stream open) and available (not set away).
 * Each connection is its own entry, so closing one of two tabs keeps the agent online.
 */
export class AgentPresence {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ConversationKeys,
  ) {}

  /** Registers a console connection; returns its id for `touch` and `leave`. */
  async join(staffId: string): Promise<string> {
    const connection = `${staffId}:${randomUUID()}`
    await this.touch(connection)
    return connection
  }

  async touch(connection: string): Promise<void> {
    await this.redis.zadd(this.keys.presence, Date.now(), connection)
  }

  async leave(connection: string): Promise<void> {
    await this.redis.zrem(this.keys.presence, connection)
  }

  async setAway(staffId: string, away: boolean): Promise<void> {
    if (away) await this.redis.sadd(this.keys.away, staffId)
    else await this.redis.srem(this.keys.away, staffId)
  }

  async isAway(staffId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.away, staffId)) === 1
  }

  /** Staff with a live console, away or not. */
  async online(): Promise<Set<string>> {
    const now = Date.now()
    await this.redis.zremrangebyscore(this.keys.presence, 0, now - presenceTtlMs)
    const connections = await this.redis.zrange(this.keys.presence, 0, -1)
    return new Set(connections.map((c) => c.slice(0, c.lastIndexOf(':'))))
  }

  /** Staff online and not away: who may be given a conversation. */
  async available(): Promise<Set<string>> {
    const [online, away] = await Promise.all([this.online(), this.redis.smembers(this.keys.away)])
    for (const id of away) online.delete(id)
    return online
  }
}
