import type { SimulatorMessage } from '@chorus/protocol'
import type { Redis, RedisKeys } from '@chorus/pool'

/** Where a simulated chat's lines are kept: one Redis stream per group, one per private chat. */
export function transcriptKey(keys: RedisKeys, where: { room?: string | null; contact?: string }): string {
  return where.room ? keys.simulator(`room:${where.room}`) : keys.simulator(`dm:${where.contact ?? ''}`)
}

export const simulatorCommandsKey = (keys: RedisKeys) => keys.simulator('commands')
export const simulatorAliveKey = (keys: RedisKeys) => keys.simulator('alive')

/** Appends one line to a simulated chat's transcript; returns its id. */
export async function appendTranscript(
  redis: Redis,
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
export async function readTranscript(redis: Redis, key: string, after: string | undefined, limit: number): Promise<SimulatorMessage[]> {
  const entries = await redis.xrange(key, after ? `(${after}` : '-', '+', 'COUNT', limit)
  return entries.map(([id, fields]) => toMessage(id, fields))
}

/** One line of a transcript by id, if it is there. */
export async function readTranscriptLine(redis: Redis, key: string, id: string): Promise<SimulatorMessage | undefined> {
  const [entry] = await redis.xrange(key, id, id)
  return entry ? toMessage(entry[0], entry[1]) : undefined
}
