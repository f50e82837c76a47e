import type { Logger } from 'pino'
import { types, type Message } from 'wechaty'
import { parseQuote, type IngestOutcome, type IngestService, type MessageKind } from '@chorus/conversation'
import { isBacklog } from './backlog.js'

const kinds: Partial<Record<number, MessageKind>> = {
  [types.Message.Text]: 'text',
  [types.Message.Image]: 'image',
  [types.Message.Emoticon]: 'image',
  [types.Message.Audio]: 'voice',
  [types.Message.Attachment]: 'file',
  [types.Message.Video]: 'file',
  [types.Message.Url]: 'link',
  [types.Message.MiniProgram]: 'mini_program',
  [types.Message.RedEnvelope]: 'red_packet',
}

const placeholders: Record<MessageKind, string> = {
  text: '',
  image: '[图片]',
  voice: '[语音]',
  file: '[文件]',
  link: '[链接]',
  mini_program: '[小程序]',
  red_packet: '[红包]',
  other: '[消息]',
}

/**
 * Turns one Wechaty message into an inbound conversation message: what kind it is, whether it
 * @mentions or quotes the bot, its text without the mention (a quoted message is kept in the
 * text, so the model sees what the user replied to), and whether it is backlog, too old to answer.
 */
export async function onMessage(
  message: Message,
  deps: { botId: string; botName: string; ingest: IngestService; logger: Logger },
): Promise<IngestOutcome | undefined> {
  if (message.self()) return undefined
  const talker = message.talker()
  // Official accounts and WeChat's own notices are never conversations.
  if (talker.type() === types.Contact.Official) return undefined
  if (message.type() === types.Message.Recalled) return undefined
  const kind = kinds[message.type()] ?? 'other'
  const room = message.room()
  // A bare "@Chorus" keeps its text: it is still a message, and still addressed to the bot.
  let text = kind === 'text' ? (room ? await message.mentionText() : '').trim() || message.text().trim() : placeholders[kind]
  let quotedBot = false
  const quote = kind === 'text' ? parseQuote(text) : undefined
  if (quote) {
    quotedBot = quote.name === deps.botName
    text = `${quote.body.trim()}\n（引用 ${quote.name}：${quote.quoted.trim()}）`
  }
  if (!text) return undefined
  const outcome = await deps.ingest.ingest({
    botId: deps.botId,
    channel: room
      ? { kind: 'wechat_group', externalId: room.id, title: await room.topic() }
      : { kind: 'wechat_private', externalId: talker.id, title: talker.name() },
    sender: { platform: 'wechat', platformId: talker.id, displayName: talker.name() },
    platformMessageId: message.id,
    text,
    kind,
    mentionedBot: room ? await message.mentionSelf() : false,
    quotedBot,
    backlog: isBacklog(message.age()),
    loadImage: kind === 'image' ? () => imageDataUrl(message) : undefined,
  })
  deps.logger.debug({ outcome: outcome.kind, messageId: String(outcome.messageId) }, 'inbound message handled')
  return outcome
}

async function imageDataUrl(message: Message): Promise<string> {
  const box = await message.toFileBox()
  const type = box.mediaType && box.mediaType !== 'application/octet-stream' ? box.mediaType : 'image/jpeg'
  return `data:${type};base64,${await box.toBase64()}`
}
