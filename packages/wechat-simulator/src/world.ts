import type { RedisKeys } from '@chorus/pool'
import type { RedisClient } from '@chorus/redis'

/** Who a simulated account knows: its contacts, and each group's members (names). */
export interface SimulatedWorld {
  contacts: string[]
  rooms: Record<string, string[]>
}

const contactsKey = (keys: RedisKeys, account: string) => keys.simulatorAccount(account, 'world:contacts')
const roomsKey = (keys: RedisKeys, account: string) => keys.simulatorAccount(account, 'world:rooms')

/** Records that `account` knows contact `name` (WeChat keeps an account's contacts across restarts of the bot). */
export async function rememberContact(redis: RedisClient, keys: RedisKeys, account: string, name: string): Promise<void> {
  await redis.sadd(contactsKey(keys, account), name)
}

/** Records the members of group `topic` in the world of `account`. */
export async function rememberRoom(redis: RedisClient, keys: RedisKeys, account: string, topic: string, members: string[]): Promise<void> {
  await redis.hset(roomsKey(keys, account), topic, JSON.stringify(members))
}

/** The contacts and groups `account` knew, for a bot process that starts again. */
export async function loadWorld(redis: RedisClient, keys: RedisKeys, account: string): Promise<SimulatedWorld> {
  const [contacts, rooms] = await Promise.all([redis.smembers(contactsKey(keys, account)), redis.hgetall(roomsKey(keys, account))])
  return { contacts, rooms: Object.fromEntries(Object.entries(rooms).map(([topic, members]) => [topic, JSON.parse(members) as string[]])) }
}
