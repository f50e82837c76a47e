import type { SimulatorMessage } from '@chorus/protocol'
import { hashTag, type KeySpace, type RedisClient } from '@chorus/redis'

/** One simulated WeChat account's keys (its chats, commands, contacts): on one slot, as some are read together. */
export function simulatorAccountKey(keys: KeySpace, account: string, name: string): string {
  return `${keys.prefix}:sim:${hashTag(account)}:${name}`
}

/**
 * Where a simulated chat's lines are kept: one Redis stream per group and per private chat, in
 * the world of one simulated account (`account`, the bot's name).
 */
export function transcriptKey(keys: KeySpace, account: string, where: { room?: string | null; contact?: string }): string {
  return simulatorAccountKey(keys, account, where.room ? `room:${where.room}` : `dm:${where.contact ?? ''}`)
}

/** The commands the API sends to the bot process hosting one simulated account. */
export const simulatorCommandsKey = (keys: KeySpace, account: string) => simulatorAccountKey(keys, account, 'commands')

/** A re-delivery id chosen by a caller, mapped to its transcript line. */
export const simulatorIdKey = (keys: KeySpace, account: string, id: string) => simulatorAccountKey(keys, account, `id:${id}`)

const accountsKey = (keys: KeySpace) => `${keys.prefix}:sim:accounts`
const accountLivenessMs = 5000

/** Says that the bot process hosting `account` is up (call every second or two). */
export async function markAccountAlive(redis: RedisClient, keys: KeySpace, account: string): Promise<void> {
  await redis.zadd(accountsKey(keys), Date.now(), account)
}

export async function markAccountGone(redis: RedisClient, keys: KeySpace, account: string): Promise<void> {
  await redis.zrem(accountsKey(keys), account)
}

/** The simulated accounts whose bot process is up. */
export function liveAccounts(redis: RedisClient, keys: KeySpace): Promise<string[]> {
  return redis.zrangebyscore(accountsKey(keys), Date.now() - accountLivenessMs, '+inf')
}

/** Appends one line to a simulated chat's transcript; returns its id. */
export async function appendTranscript(
  redis: RedisClient,
  key: string,
  line: { room: string | null; from: string; text: string; self: boolean },
): Promise<string> {
  const id = await redis.xadd(
    key,
    'MAXLEN',
    '~',
    '10000',
    '*',
    'room',
    line.room ?? '',
    'from',
    line.from,
    'text',
    line.text,
    'self',
    line.self ? '1' : '0',
    'at',
    new Date().toISOString(),
  )
  return id!
}

function toMessage(id: string, fields: string[]): SimulatorMessage {
  const get = (name: string) => fields[fields.indexOf(name) + 1] ?? ''
  return { id, room: get('room') || null, from: get('from'), text: get('text'), at: get('at'), self: get('self') === '1' }
}

/** Reads a transcript after `after` (exclusive), oldest first. */
export async function readTranscript(
  redis: RedisClient,
  key: string,
  after: string | undefined,
  limit: number,
): Promise<SimulatorMessage[]> {
  const entries = await redis.xrange(key, after ? `(${after}` : '-', '+', 'COUNT', limit)
  return entries.map(([id, fields]) => toMessage(id, fields))
}

/** One line of a transcript by id, if it is there. */
export async function readTranscriptLine(redis: RedisClient, key: string, id: string): Promise<SimulatorMessage | undefined> {
  const [entry] = await redis.xrange(key, id, id)
  return entry ? toMessage(entry[0], entry[1]) : undefined
}
