import type { Logger } from 'pino'
import { t, type BotDirectory, type ConversationRepository, type LiveEvents } from '@chorus/conversation'
import { weComKfRefusal, type WeComKfClient } from '@chorus/wechat-api'
import { weComKfPlatform, type WeComKfRepository } from './wecom-kf.repository.js'

/**
 * The welcome message when a customer opens the chat (an `enter_session` event): sent with the
 * event's welcome_code by send_msg_on_event, which WeCom accepts once and within 20 seconds, so
 * it is sent at once rather than through the outbox and never retried. Stored first, keyed by the
 * event's msgid: a pull that sees the event again sends nothing.
 */
export class WeComWelcome {
  constructor(
    private readonly deps: {
      client: WeComKfClient
      repo: WeComKfRepository
      conversations: ConversationRepository
      bots: BotDirectory
      live: LiveEvents
      logger: Logger
    },
  ) {}

  /** Greets the customer of `channel` once per event; true when the event was new. */
  async greet(input: {
    botId: string
    channel: { externalId: string }
    externalUserId: string
    msgid: string
    code: string
  }): Promise<boolean> {
    const { client, repo, conversations, bots, live, logger } = this.deps
    const bot = await bots.get(input.botId)
    const text = t('smallTalkGreeting', bot.settings.language, { bot: bot.name })
    const channel = await conversations.ensureChannel(input.botId, 'wecom_kf', input.channel.externalId, '')
    const user = await conversations.ensureEndUser(weComKfPlatform, input.externalUserId, '')
    const stored = await repo.storeSentMessage({
      role: 'system',
      botId: input.botId,
      channelId: channel.id,
      endUserId: user.id,
      platformMessageId: `welcome:${input.msgid}`,
      text,
      meta: { notice: 'welcome' },
      at: new Date(),
    })
    if (!stored) return false
    const log = logger.child({ conversationId: stored.conversationId, messageId: String(stored.id) })
    try {
      await client.sendMsgOnEvent({ code: input.code, message: { msgtype: 'text', text: { content: text } } })
      log.info('WeCom welcome message sent')
    } catch (error) {
      const refusal = weComKfRefusal(error) ?? { reason: 'welcome_failed', message: (error as Error).message }
      const errcode = (error as { errcode?: number }).errcode
      await conversations.markUndeliverable(stored.id, { ...refusal, ...(errcode === undefined ? {} : { errcode }), attempts: 1 })
      log.warn({ reason: refusal.reason, errcode }, 'WeCom welcome message not sent')
    }
    await live
      .publish({ type: 'message', conversationId: stored.conversationId, id: String(stored.id), role: 'system', botId: input.botId })
      .catch((error: unknown) => log.warn({ err: error }, 'welcome message not announced live'))
    return true
  }
}
