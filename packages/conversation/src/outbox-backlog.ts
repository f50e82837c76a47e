import type { RedisClient } from '@chorus/redis'
import { outboxGroup, readOutboxEntry } from './outbox-entry.js'

type StreamEntry = [id: string, fields: string[] | null]

/** A field of an XINFO reply (a flat list of names and values). */
function field(info: unknown[], name: string): unknown {
  const at = info.indexOf(name)
  return at >= 0 && at % 2 === 0 ? info[at + 1] : undefined
}

/**
 * The replies that outbox `key` still holds for its delivery process: entries it has not read
 * yet, and entries it read and has not acknowledged (a reply being sent, waiting for its chat's
 * turn or for a retry). Those replies are on their way; a reply stored but in neither was lost
 * (with Redis) or never announced. At most `limit` entries of each kind are looked at, the oldest.
 */
export async function repliesInOutbox(redis: RedisClient, key: string, limit: number): Promise<Set<string>> {
  if ((await redis.exists(key)) === 0) return new Set()
  const groups = (await redis.xinfo('GROUPS', key)) as unknown[][]
  const group = groups.find((info) => field(info, 'name') === outboxGroup)
  // No delivery process has read this outbox yet: the first one reads it from the start.
  const lastRead = group ? String(field(group, 'last-delivered-id')) : '0-0'
  const unread = (await redis.xrange(key, `(${lastRead}`, '+', 'COUNT', limit)) as StreamEntry[]
  const pendingIds = group ? ((await redis.xpending(key, outboxGroup, '-', '+', limit)) as Array<[string, ...unknown[]]>) : []
  const reads = redis.pipeline()
  for (const [id] of pendingIds) reads.xrange(key, id, id)
  const pending =
    pendingIds.length > 0 ? ((await reads.exec()) ?? []).flatMap(([, entries]) => (entries as StreamEntry[] | null) ?? []) : []
  const replies = new Set<string>()
  for (const [, fields] of [...unread, ...pending]) {
    const entry = fields && readOutboxEntry(fields)
    if (entry) replies.add(String(entry.replyId))
  }
  return replies
}
