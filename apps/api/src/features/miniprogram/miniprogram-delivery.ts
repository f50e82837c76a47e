import type { Logger } from 'pino'
import { markdownToWeChat, type Delivery, type DeliveryProgress } from '@chorus/conversation'
import type { ApiRedisKeys } from '../../redis-keys.js'
import type { RedisClient } from '@chorus/redis'
import { errcodes, WeChatApiError, type WeChatClient } from '@chorus/wechat-api'
import type { CustomerServiceSender } from './customer-service-sender.js'
import type { MiniProgramLiveEvent } from './miniprogram-live-hub.js'
import type { MiniProgramRepository } from './miniprogram.repository.js'

/** Customer-service chats (message push) live in channels whose external id is `kf:<openid>`. */
export const customerServicePrefix = 'kf:'

// A subscription message's `thing` fields hold at most 20 characters.
const thing = (text: string) => (text.length > 20 ? `${text.slice(0, 19)}…` : text)

/**
 * Delivers the `miniprogram` outbox: to the app's live stream when the user has it open; an
 * agent's reply to an offline user as a subscription message when they granted one (else they
 * see it in their history next time); customer-service chats through custom/send, within
 * WeChat's reply window (CustomerServiceSender).
 */
export class MiniProgramDelivery {
  constructor(
    private readonly deps: {
      redis: RedisClient
      keys: ApiRedisKeys
      repo: MiniProgramRepository
      wechat: WeChatClient | null
      customerService: CustomerServiceSender
      subscribeTemplateId: string | undefined
      logger: Logger
    },
  ) {}

  async deliver(delivery: Delivery, progress: DeliveryProgress): Promise<void> {
    const text = delivery.role === 'assistant' ? markdownToWeChat(delivery.text) : delivery.text
    const { externalId } = delivery.channel
    if (externalId.startsWith(customerServicePrefix)) {
      const signed = delivery.signature ? `${text}\n—— ${delivery.signature}` : text
      await this.deps.customerService.send(
        { replyId: delivery.replyId, to: externalId.slice(customerServicePrefix.length), text: signed },
        progress,
      )
      return
    }
    const event: MiniProgramLiveEvent = {
      openid: externalId,
      type: 'message',
      data: {
        id: String(delivery.replyId),
        role: delivery.role,
        text,
        author: delivery.signature ?? null,
        conversationId: delivery.conversationId,
      },
    }
    await this.deps.redis.publish(this.deps.keys.miniProgramLive, JSON.stringify(event))
    if (delivery.role === 'agent') await this.notifyIfAway(externalId, delivery.signature ?? '', text)
  }

  private async notifyIfAway(openid: string, agent: string, text: string): Promise<void> {
    const { wechat, subscribeTemplateId, repo, redis, keys, logger } = this.deps
    if (!wechat || !subscribeTemplateId) return
    const user = await repo.userByOpenid(openid)
    if (!user || (await redis.exists(keys.miniProgramOnline(user.id)))) return
    // Taken before the send, so two replies at once never spend one grant twice.
    if (!(await repo.takeGrant(user.id, subscribeTemplateId))) return
    try {
      await wechat.sendSubscribeMessage({
        touser: openid,
        templateId: subscribeTemplateId,
        page: 'pages/index/index',
        data: { thing1: thing(agent || '客服'), thing2: thing(text) },
      })
      logger.info({ endUserId: user.id }, 'subscription message sent')
    } catch (error) {
      // The reply is in the user's history either way: the notification is not retried.
      if (error instanceof WeChatApiError && error.errcode === errcodes.subscriptionRefused) {
        await repo.refuseGrants(user.id, subscribeTemplateId)
        logger.info({ endUserId: user.id }, 'subscription message refused by the user; no more until they accept again')
        return
      }
      // WeChat spends a grant only on a message it sent: this one is still the user's.
      await repo.giveBackGrant(user.id, subscribeTemplateId)
      if (!(error instanceof WeChatApiError)) throw error
      logger.warn({ endUserId: user.id, errcode: error.errcode }, 'subscription message not sent; the grant is kept')
    }
  }
}
