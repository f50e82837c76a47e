import type { Logger } from 'pino'
import type { BotDirectory, ConversationRepository, IngestService, LiveEvents } from '@chorus/conversation'
import type { Db } from '@chorus/db'
import { parseWeComKfChannelId, weComKfRefusal, WeComServicersHandoff, type WeComConfig, type WeComKfClient } from '@chorus/wechat-api'
import { CustomerServiceSender } from '../miniprogram/customer-service-sender.js'
import { WeComKfDelivery } from './wecom-kf-delivery.js'
import { WeComKfSync } from './wecom-kf-sync.js'
import { WeComKfRepository } from './wecom-kf.repository.js'
import { WeComWelcome } from './wecom-welcome.js'

/** The 微信客服 channel around `client` (weComKfFromConfig): the callback's pull, delivery and welcome. */
export function weComFromConfig(
  client: WeComKfClient | null,
  config: WeComConfig,
  deps: {
    db: Db
    conversations: ConversationRepository
    ingest: IngestService
    bots: BotDirectory
    live: LiveEvents
    /** The API's PostgreSQL connections (CHORUS_DB_POOL_SIZE): pulls run on at most half of them. */
    dbPoolSize: number
    logger: Logger
  },
) {
  const { WECOM_CORP_ID: corpId, WECOM_KF_TOKEN: token, WECOM_KF_AES_KEY: aesKey } = config
  if (!client || !corpId || !token || !aesKey) return null
  const logger = deps.logger.child({ channel: 'wecom_kf' })
  const repo = new WeComKfRepository(deps.db)
  const welcome = new WeComWelcome({ client, repo, conversations: deps.conversations, bots: deps.bots, live: deps.live, logger })
  const sync = new WeComKfSync({
    client,
    repo,
    conversations: deps.conversations,
    ingest: deps.ingest,
    live: deps.live,
    welcome,
    lanes: Math.max(1, Math.floor(deps.dbPoolSize / 2)),
    logger,
  })
  const replyWindow = (replyId: bigint) => deps.conversations.replyWindow(replyId)
  const sender = new CustomerServiceSender(
    {
      sendText: async (to, text, partKey) => {
        const target = parseWeComKfChannelId(to)!
        // The msgid names the part: WeCom hands the same one back, and it shows in WeCom's records.
        const msgid = `chorus-${partKey}`
        await client.sendMsg({
          touser: target.externalUserId,
          openKfId: target.openKfId,
          msgid,
          message: { msgtype: 'text', text: { content: text } },
        })
      },
      refusal: weComKfRefusal,
    },
    replyWindow,
  )
  return {
    client,
    repo,
    sync,
    delivery: new WeComKfDelivery(client, sender, replyWindow),
    callback: { token, aesKey, corpId },
  }
}

/** Handoff to WeCom's servicers for bots set that way (WeComServicersHandoff), logged. */
export function weComHandoff(client: WeComKfClient, logger: Logger): WeComServicersHandoff {
  return new WeComServicersHandoff(client, {
    onHandedOver: (conversationId) => logger.info({ conversationId }, 'WeCom session handed to the servicers’ queue'),
    onRefused: (conversationId, error) =>
      logger.warn({ err: error, conversationId }, 'WeCom refused the handoff to its servicers: asking Chorus’s agents'),
  })
}
