import type { Wechaty } from 'wechaty'
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
  awaitTurn(delivery: Pick<Delivery, 'channel'>): Promise<void> {
    return this.chats.run(delivery.channel.externalId, async () => {
      const { settings } = await this.bots.get(this.botId)
      await this.pace(delivery.channel.externalId, settings.outgoing)
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
      await this.sendPart(channel, i === 0 ? asker : null, part)
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

  private async sendPart(channel: Delivery['channel'], asker: Delivery['asker'], text: string): Promise<void> {
    if (channel.kind === 'wechat_group') {
      const room = await this.wechaty.Room.find({ id: channel.externalId })
      if (!room) throw new Error('the group is gone or the account left it')
      const contact = asker ? await this.wechaty.Contact.find({ id: asker.platformId }) : undefined
      if (contact) await room.say(text, contact)
      else await room.say(text)
      return
    }
    if (channel.kind === 'wechat_private') {
      const contact = await this.wechaty.Contact.find({ id: channel.externalId })
      if (!contact) throw new Error('the contact is gone')
      await contact.say(text)
      return
    }
    throw new Error(`the WeChat bot cannot deliver to a ${channel.kind} channel`)
  }
}
