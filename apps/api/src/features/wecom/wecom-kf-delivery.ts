import { askBackMenu, markdownToWeChat, UndeliverableError, type Delivery, type DeliveryProgress } from '@chorus/conversation'
import { parseWeComKfChannelId, replyWindowRefusal, weComKfRefusal, type WeComKfClient } from '@chorus/wechat-api'
import type { CustomerServiceSender, ReplyWindowLookup } from '../miniprogram/customer-service-sender.js'

/**
 * Delivers the `wecom_kf` outbox by send_msg (docs/wecom.md): replies in parts within WeChat's
 * reply window (CustomerServiceSender), and the bot's "您是想问" as a menu the customer clicks
 * (msgmenu), one message.
 */
export class WeComKfDelivery {
  constructor(
    private readonly client: WeComKfClient,
    private readonly sender: CustomerServiceSender,
    private readonly replyWindow: ReplyWindowLookup,
  ) {}

  async deliver(delivery: Delivery, progress: DeliveryProgress): Promise<void> {
    const to = parseWeComKfChannelId(delivery.channel.externalId)
    if (!to) throw new UndeliverableError('invalid_channel', `not a WeCom customer's channel: ${delivery.channel.externalId}`)
    const menu = delivery.role === 'assistant' ? askBackMenu(delivery.text) : null
    if (menu) {
      if (progress.sentParts === 0) await this.sendMenu(delivery.replyId, to, menu)
      await progress.partsSent(1)
      return
    }
    const text = delivery.role === 'assistant' ? markdownToWeChat(delivery.text) : delivery.text
    const signed = delivery.signature ? `${text}\n—— ${delivery.signature}` : text
    await this.sender.send({ replyId: delivery.replyId, to: delivery.channel.externalId, text: signed }, progress)
  }

  private async sendMenu(
    replyId: bigint,
    to: { openKfId: string; externalUserId: string },
    menu: { head: string; questions: string[]; tail: string },
  ): Promise<void> {
    const closed = replyWindowRefusal(await this.replyWindow(replyId), 1)
    if (closed) throw new UndeliverableError(closed.reason, closed.message)
    try {
      await this.client.sendMsg({
        touser: to.externalUserId,
        openKfId: to.openKfId,
        msgid: `chorus-${replyId}-0`,
        message: {
          msgtype: 'msgmenu',
          msgmenu: {
            head_content: menu.head,
            // The id is the number the choice is offered under: a click reads as typing it.
            list: menu.questions.map((question, i) => ({ type: 'click', click: { id: String(i + 1), content: question } })),
            ...(menu.tail ? { tail_content: menu.tail } : {}),
          },
        },
      })
    } catch (error) {
      const refusal = weComKfRefusal(error)
      if (refusal) throw new UndeliverableError(refusal.reason, refusal.message, (error as { errcode?: number }).errcode)
      throw error
    }
  }
}
