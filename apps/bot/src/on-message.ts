import type { Logger } from 'pino'
import { types, type Message } from 'wechaty'
import type { IngestService } from '@chorus/conversation'

/**
 * Turns one Wechaty message into an inbound conversation message: a group message is
 * addressed to the bot when it @mentions it; a private message always is.
 */
export async function onMessage(message: Message, deps: { botId: string; ingest: IngestService; logger: Logger }): Promise<void> {
  if (message.self()) return
  const talker = message.talker()
  // Official accounts and WeChat's own notices are never conversations.
  if (talker.type() === types.Contact.Official) return
  if (message.type() !== types.Message.Text) return
  const room = message.room()
  const addressed = room ? await message.mentionSelf() : true
  const text = room ? (await message.mentionText()).trim() : message.text().trim()
  if (!text) return
  const outcome = await deps.ingest.ingest({
    botId: deps.botId,
    channel: room
      ? { kind: 'wechat_group', externalId: room.id, title: await room.topic() }
      : { kind: 'wechat_private', externalId: talker.id, title: talker.name() },
    sender: { platform: 'wechat', platformId: talker.id, displayName: talker.name() },
    platformMessageId: message.id,
    text,
    addressed,
  })
  deps.logger.debug({ outcome: outcome.kind, messageId: String(outcome.messageId) }, 'inbound message handled')
}
