import type { KeySpace, RedisClient } from '@chorus/redis'
import { simulatorAccountKey } from './transcript.js'

/** Who a simulated account knows: its contacts, and each group's members (names). */
export interface SimulatedWorld {
  contacts: string[]
  rooms: Record<string, string[]>
}

const contactsKey = (keys: KeySpace, account: string) => simulatorAccountKey(keys, account, 'world:contacts')
const roomsKey = (keys: KeySpace, account: string) => simulatorAccountKey(keys, account, 'world:rooms')

/**
 * Records, in one round trip, the contacts `account` came to know and the members of the groups
 * that changed (WeChat keeps an account's contacts and groups across restarts of the bot).
 */
export async function rememberWorld(redis: RedisClient, keys: KeySpace, account: string, changes: SimulatedWorld): Promise<void> {
  const rooms = Object.entries(changes.rooms)
  if (changes.contacts.length === 0 && rooms.length === 0) return
  // The account's keys share its hash tag: one pipeline.
  const batch = redis.pipeline()
  if (changes.contacts.length > 0) batch.sadd(contactsKey(keys, account), ...changes.contacts)
  const membersByTopic = Object.fromEntries(rooms.map(([topic, members]) => [topic, JSON.stringify(members)]))
  if (rooms.length > 0) batch.hset(roomsKey(keys, account), membersByTopic)
  const refused = (await batch.exec())?.find(([error]) => error)
  if (refused) throw refused[0]
}

/** The contacts and groups `account` knew, for a bot process that starts again. */
export async function loadWorld(redis: RedisClient, keys: KeySpace, account: string): Promise<SimulatedWorld> {
  const [contacts, rooms] = await Promise.all([redis.smembers(contactsKey(keys, account)), redis.hgetall(roomsKey(keys, account))])
  return { contacts, rooms: Object.fromEntries(Object.entries(rooms).map(([topic, members]) => [topic, JSON.parse(members) as string[]])) }
}
