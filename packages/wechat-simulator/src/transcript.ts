import { hashTag, redisScript, type KeySpace, type RedisClient } from '@chorus/redis'
import type { SimulatorCommand, SimulatorMessage } from '@chorus/protocol'

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

// KEYS: the chat's transcript, the account's commands (one hash tag). ARGV: the line's fields
// (room, from, text, self, at), then the command's JSON without its id. Returns the line's id.
const appendAndCommand = redisScript(
  'chorusSimulatorPost',
  `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', '10000', '*', 'room', ARGV[1], 'from', ARGV[2], 'text', ARGV[3], 'self', ARGV[4], 'at', ARGV[5])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', '100000', '*', 'c', '{"id":' .. cjson.encode(id) .. ',' .. ARGV[6])
return id
`,
  2,
)

/**
 * A contact's message posted to a simulated chat in one round trip: its transcript line, and the
 * command that makes the bot's simulated WeChat deliver it, carrying the line's id as `id`.
 */
export async function postToChat(
  redis: RedisClient,
  keys: { transcript: string; commands: string },
  line: { room: string | null; from: string; text: string },
  command: Omit<SimulatorCommand, 'id'>,
): Promise<string> {
  // The command's JSON after its opening brace: the script puts the id first.
  const rest = JSON.stringify(command).slice(1)
  const at = new Date().toISOString()
  return (await appendAndCommand(redis, keys.transcript, keys.commands, line.room ?? '', line.from, line.text, '0', at, rest)) as string
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
