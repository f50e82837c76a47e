import type { Wechaty } from 'wechaty'
import type { ContactInterface, RoomInterface } from 'wechaty/impls'
import { markdownToWeChat, SerialByKey, splitReply, type BotDirectory, type Delivery } from '@chorus/conversation'
import type { RateLimiting } from '@chorus/redis'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface Outgoing {
  channel: Delivery['channel']
  asker: Delivery['asker']
  text: string
}

/**
 * Sends text to WeChat the way a careful person would, to keep the account safe: per group and
 * per account rate limits with random jitter, long replies split at paragraph and sentence
 * boundaries and sent in order, the asker @mentioned in groups. Sends to one chat go out one
 * after another; different chats do not wait for each other except through the account limit.
 */
export class WeChatSender {
  private readonly chats = new SerialByKey()
  /** Where the next message of a chat goes, looked up while it waited its turn. */
  private readonly ready = new Map<string, Recipient>()

  constructor(
    private readonly wechaty: Wechaty,
    private readonly botId: string,
    private readonly bots: BotDirectory,
    private readonly limiter: RateLimiting,
  ) {}

  /**
   * Waits until the first message of `delivery` may go out: after whatever this chat has queued
   * to send already (a "thinking" notice), and within the chat's and the account's pacing.
   */
  awaitTurn(delivery: Pick<Delivery, 'channel' | 'asker'>): Promise<void> {
    return this.chats.run(delivery.channel.externalId, async () => {
      const { settings } = await this.bots.get(this.botId)
      await this.pace(delivery.channel.externalId, settings.outgoing)
      // Looked up now, so that between the claim and the send there is only the send: a bot
      // killed in between has claimed a reply it never sent.
      this.ready.set(delivery.channel.externalId, await this.recipient(delivery.channel, delivery.asker))
    })
  }

  /**
   * Sends a stored reply: markdown rendered for WeChat when it comes from the model, an agent's
   * signed. `paced`: its turn was awaited already (`awaitTurn`), so its first message goes at once.
   */
  deliver(delivery: Delivery, options: { paced?: boolean } = {}): Promise<void> {
    const text =
      delivery.role === 'assistant'
        ? markdownToWeChat(delivery.text)
        : delivery.signature
          ? `${delivery.text}\n—— ${delivery.signature}`
          : delivery.text
    return this.send({ channel: delivery.channel, asker: delivery.asker, text }, options.paced)
  }

  send(outgoing: Outgoing, paced = false): Promise<void> {
    return this.chats.run(outgoing.channel.externalId, () => this.sendNow(outgoing, paced))
  }

  private async sendNow({ channel, asker, text }: Outgoing, paced: boolean): Promise<void> {
    const { settings } = await this.bots.get(this.botId)
    const parts = splitReply(text, settings.reply.maxChars)
    for (const [i, part] of parts.entries()) {
      if (i > 0) await sleep(settings.reply.partDelayMs)
      if (i > 0 || !paced) await this.pace(channel.externalId, settings.outgoing)
      const ready = i === 0 && paced ? this.ready.get(channel.externalId) : undefined
      this.ready.delete(channel.externalId)
      await say(ready ?? (await this.recipient(channel, i === 0 ? asker : null)), part)
    }
  }

  private async pace(chat: string, limits: { perGroupPerMinute: number; perAccountPerMinute: number; jitterMs: number }): Promise<void> {
    for (const [key, perMinute] of [
      [`out:chat:${chat}`, limits.perGroupPerMinute],
      [`out:account:${this.botId}`, limits.perAccountPerMinute],
    ] as const) {
      for (;;) {
        const decision = await this.limiter.take(key, { capacity: Math.max(1, Math.ceil(perMinute / 6)), perMinute })
        if (decision.allowed) break
        await sleep(decision.retryAfterMs)
      }
    }
    if (limits.jitterMs > 0) await sleep(Math.random() * limits.jitterMs)
  }

  /** Where a message to `channel` goes: the group (mentioning `asker`, if any) or the contact. */
  private async recipient(channel: Delivery['channel'], asker: Delivery['asker'] | null): Promise<Recipient> {
    if (channel.kind === 'wechat_group') {
      const room = await this.wechaty.Room.find({ id: channel.externalId })
      if (!room) throw new Error('the group is gone or the account left it')
      const contact = asker ? await this.wechaty.Contact.find({ id: asker.platformId }) : undefined
      return { room, mention: contact ?? undefined }
    }
    if (channel.kind === 'wechat_private') {
      const contact = await this.wechaty.Contact.find({ id: channel.externalId })
      if (!contact) throw new Error('the contact is gone')
      return { contact }
    }
    throw new Error(`the WeChat bot cannot deliver to a ${channel.kind} channel`)
  }
}

type Recipient = { room: RoomInterface; mention?: ContactInterface } | { contact: ContactInterface }

async function say(to: Recipient, text: string): Promise<void> {
  if ('contact' in to) await to.contact.say(text)
  else if (to.mention) await to.room.say(text, to.mention)
  else await to.room.say(text)
}
