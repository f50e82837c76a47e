import type { Db } from '@chorus/db'
import type { Chat } from './simulator-client.js'
import { waitFor } from './wait-for.js'

/** The PostgreSQL filter for a simulated chat's channel. */
export function channelOf(chat: Chat) {
  return 'room' in chat ? { kind: 'wechat_group' as const, title: chat.room } : { kind: 'wechat_private' as const, title: chat.contact }
}

/** The inbound messages of `chat`, oldest first, each with its reply (if any). */
export function inboundOf(db: Db, chat: Chat) {
  return db.message.findMany({
    where: { role: 'user', channel: channelOf(chat) },
    include: { reply: true },
    orderBy: { id: 'asc' },
  })
}

export type StoredInbound = Awaited<ReturnType<typeof inboundOf>>[number]

/**
 * Waits until `count` inbound messages of `chat` are stored and the bot has decided about each
 * (none still `received` or `queued`); returns them, oldest first.
 */
export async function waitForDecided(db: Db, chat: Chat, count: number, timeoutMs: number): Promise<StoredInbound[]> {
  return waitFor(
    async () => {
      const rows = await inboundOf(db, chat)
      return rows.length === count && rows.every((m) => m.status !== 'received' && m.status !== 'queued') ? rows : undefined
    },
    timeoutMs,
    `${count} decided inbound message(s) in ${JSON.stringify(chat)}`,
  )
}
