import type { ChannelKind } from '@chorus/db'
import type { ConversationKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'
import { outboxRoute, type OutboxRoute } from '@chorus/protocol'

/** The consumer group of a channel's delivery processes on its outbox. */
export const outboxGroup = 'delivery'

/** The outbox a channel's delivery process reads: one per bot for WeChat, one per kind otherwise. */
export function outboxName(target: { channelKind: ChannelKind; botId: string }): string {
  return target.channelKind === 'wechat_group' || target.channelKind === 'wechat_private' ? `wechat:${target.botId}` : target.channelKind
}

/** An outbox entry for reply `replyId`: the stream (the channel's outbox) and the XADD arguments after it. */
export function outboxEntry(
  keys: ConversationKeys,
  target: { channelKind: ChannelKind; botId: string },
  replyId: bigint,
  route?: OutboxRoute,
): { key: string; args: string[] } {
  const fields = route ? ['reply', String(replyId), 'route', JSON.stringify(route)] : ['reply', String(replyId)]
  return { key: keys.outbox(outboxName(target)), args: ['MAXLEN', '~', '100000', '*', ...fields] }
}

/**
 * Tells the channel's delivery process (through its outbox) that reply `replyId` is stored and
 * ready. With its route the entry is sent without reading the reply first; without one (a reply
 * stored earlier, the recovery sweep's) the delivery process reads it.
 */
export async function announceOnOutbox(
  redis: RedisClient,
  keys: ConversationKeys,
  target: { channelKind: ChannelKind; botId: string },
  replyId: bigint,
  route?: OutboxRoute,
): Promise<void> {
  const entry = outboxEntry(keys, target, replyId, route)
  await redis.xadd(entry.key, ...entry.args)
}

/** An outbox entry's reply and route; null when it names no reply. A route that does not parse is left out. */
export function readOutboxEntry(fields: string[]): { replyId: bigint; route?: OutboxRoute } | null {
  const values = new Map<string, string>()
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!)
  const reply = values.get('reply')
  if (!reply || !/^\d+$/.test(reply)) return null
  const route = parseRoute(values.get('route'))
  return route ? { replyId: BigInt(reply), route } : { replyId: BigInt(reply) }
}

function parseRoute(text: string | undefined): OutboxRoute | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = outboxRoute.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    // Not JSON: the entry is handled as one without a route.
    return undefined
  }
}
