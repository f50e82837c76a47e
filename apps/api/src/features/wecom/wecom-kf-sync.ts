import type { Logger } from 'pino'
import { SerialByKey, type ConversationRepository, type IngestService, type LiveEvents, type MessageKind } from '@chorus/conversation'
import {
  isInvalidMsgToken,
  weComKfChannelId,
  weComKfOrigin,
  weComKfServiceState,
  type WeComKfClient,
  type WeComKfMessage,
} from '@chorus/wechat-api'
import type { WeComWelcome } from './wecom-welcome.js'
import { weComKfPlatform, type WeComKfRepository } from './wecom-kf.repository.js'

export interface WeComKfSyncDeps {
  client: WeComKfClient
  repo: WeComKfRepository
  conversations: ConversationRepository
  ingest: IngestService
  live: LiveEvents
  welcome: WeComWelcome
  /**
   * How many pulls this process runs at once. Each holds a database connection for its lock while
   * it stores through others: fewer than the pool's connections, or a burst of notifications would
   * take them all and wait on each other.
   */
  lanes: number
  logger: Logger
}

/** A notification's account has no bot to answer it (several bots, none linked). */
export class NoBotForAccount extends Error {
  constructor(openKfId: string) {
    super(`no bot answers the WeCom account ${openKfId}: link one in the admin panel’s WeCom page`)
    this.name = 'NoBotForAccount'
  }
}

// What a pulled message that is not text is stored as, and the kind the bot treats it as.
const kinds: Record<string, [MessageKind, string]> = {
  image: ['image', '[图片]'],
  voice: ['voice', '[语音]'],
  video: ['other', '[视频]'],
  file: ['file', '[文件]'],
  link: ['link', '[链接]'],
  miniprogram: ['mini_program', '[小程序]'],
  location: ['other', '[位置]'],
}

/**
 * Pulls an account's messages after a `kf_msg_or_event` notification (docs/wecom.md): one pull
 * per account at a time, from the cursor saved in PostgreSQL, page by page while WeCom has more.
 * Each page is stored (deduplicated by msgid) before its cursor is saved, so a pull cut off
 * anywhere is taken up by the next from where the last stored page ended, and answers nothing twice.
 */
export class WeComKfSync {
  // An account's pulls always share a lane: in this process they queue here, not in PostgreSQL
  // holding connections; only other processes' pulls wait on its lock there.
  private readonly lanes = new SerialByKey()

  constructor(private readonly deps: WeComKfSyncDeps) {}

  /** Pulls and stores everything new on account `openKfId`; `token`: the notification's. Returns how many messages were new. */
  pull(openKfId: string, token: string | undefined): Promise<number> {
    return this.lanes.run(`lane:${laneOf(openKfId, this.deps.lanes)}`, () => this.pullLocked(openKfId, token))
  }

  private async pullLocked(openKfId: string, token: string | undefined): Promise<number> {
    const { repo, logger } = this.deps
    const log = logger.child({ openKfId })
    try {
      return await repo.withAccountLock(openKfId, async (saved) => {
        const botId = await repo.botFor(openKfId)
        if (!botId) throw new NoBotForAccount(openKfId)
        let cursor = saved
        let eventToken = token
        let stored = 0
        for (;;) {
          let page
          try {
            page = await this.deps.client.syncMsg({ openKfId, cursor, ...(eventToken ? { token: eventToken } : {}) })
          } catch (error) {
            // The notification's token expired (10 minutes) or was never WeCom's: pull without it.
            if (!eventToken || !isInvalidMsgToken(error)) throw error
            log.info('the notification token was refused (95007): pulling without it')
            eventToken = undefined
            continue
          }
          if (page.unreadable > 0) log.warn({ unreadable: page.unreadable }, 'pulled messages of an unknown shape skipped')
          const states = new Map<string, Promise<number>>()
          for (const message of page.messages) stored += (await this.store(botId, message, states, log)) ? 1 : 0
          await repo.saveCursor(openKfId, page.nextCursor)
          cursor = page.nextCursor
          if (!page.hasMore) return stored
        }
      })
    } catch (error) {
      await repo
        .recordError(openKfId, error instanceof Error ? error.message : String(error))
        .catch((recordError: unknown) => log.warn({ err: recordError }, 'pull error not recorded'))
      throw error
    }
  }

  /** Stores one pulled message; true when it was new. */
  private async store(botId: string, message: WeComKfMessage, states: Map<string, Promise<number>>, log: Logger): Promise<boolean> {
    const externalUserId = message.external_userid ?? message.event?.external_userid
    if (!externalUserId) return false
    const channel = { kind: 'wecom_kf' as const, externalId: weComKfChannelId(message.open_kfid, externalUserId), title: '' }
    if (message.origin === weComKfOrigin.event) {
      if (message.event?.event_type === 'enter_session' && message.event.welcome_code) {
        return this.deps.welcome.greet({ botId, channel, externalUserId, msgid: message.msgid, code: message.event.welcome_code })
      }
      return false
    }
    if (message.origin === weComKfOrigin.servicer) return this.storeServicerMessage(botId, channel.externalId, externalUserId, message)
    if (message.origin !== weComKfOrigin.customer) return false
    // The bot answers only sessions that are new or already its own; one that WeCom's servicers
    // have (queued or taken) is kept as history, unanswered. Looked up once per customer and page.
    const lookup = () => this.sessionState(message.open_kfid, externalUserId, log)
    const state = await (states.get(externalUserId) ?? states.set(externalUserId, lookup()).get(externalUserId)!)
    const withServicers = state === weComKfServiceState.queued || state === weComKfServiceState.servicer
    const [kind, placeholder] =
      message.msgtype === 'text' ? ['text' as const, ''] : (kinds[message.msgtype] ?? ['other' as const, '[消息]'])
    // A click on a menu of choices (the bot's "您是想问") arrives as its text and its id: the
    // number the choice was offered under, which is what the ask-back reads.
    const menuId = message.text?.menu_id
    const text = menuId && /^[1-9]$/.test(menuId) ? menuId : (message.text?.content ?? placeholder)
    const outcome = await this.deps.ingest.ingest({
      botId,
      channel,
      sender: { platform: weComKfPlatform, platformId: externalUserId, displayName: '' },
      platformMessageId: message.msgid,
      text,
      kind,
      meta: {
        wecom: { sendTime: message.send_time, ...(menuId ? { menuId, menuText: message.text?.content ?? '' } : {}) },
      },
      // Kept as history, never answered: WeCom's servicers have this session.
      ...(withServicers ? { backlog: true } : {}),
    })
    log.info({ outcome: outcome.kind, messageId: String(outcome.messageId) }, 'WeCom customer message stored')
    return outcome.kind !== 'duplicate'
  }

  /**
   * The session's state; a new (or ended) session is moved to the smart assistant (1) first, as
   * the bot takes it. A failed lookup counts as the assistant's: the send is then refused by WeCom
   * if it is not, and shown to agents as undeliverable.
   */
  private async sessionState(openKfId: string, externalUserId: string, log: Logger): Promise<number> {
    const { client } = this.deps
    try {
      const state = await client.serviceState({ openKfId, externalUserId })
      if (state !== weComKfServiceState.new && state !== weComKfServiceState.ended) return state
      await client.transServiceState({ openKfId, externalUserId, state: weComKfServiceState.assistant })
      return weComKfServiceState.assistant
    } catch (error) {
      log.warn({ err: error }, 'WeCom session state not read or moved; answering as the assistant')
      return weComKfServiceState.assistant
    }
  }

  private async storeServicerMessage(botId: string, externalId: string, externalUserId: string, message: WeComKfMessage): Promise<boolean> {
    const { conversations, repo, live } = this.deps
    const channel = await conversations.ensureChannel(botId, 'wecom_kf', externalId, '')
    const user = await conversations.ensureEndUser(weComKfPlatform, externalUserId, '')
    const stored = await repo.storeSentMessage({
      role: 'agent',
      botId,
      channelId: channel.id,
      endUserId: user.id,
      platformMessageId: message.msgid,
      text: message.text?.content ?? kinds[message.msgtype]?.[1] ?? '[消息]',
      meta: { wecom: { servicer: message.servicer_userid ?? null, sendTime: message.send_time } },
      at: new Date(message.send_time * 1000),
    })
    if (!stored) return false
    await live
      .publish({ type: 'message', conversationId: stored.conversationId, id: String(stored.id), role: 'agent', botId })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'servicer message not announced live'))
    return true
  }
}

/** The lane (0 … lanes-1) of an account: the same for every pull of it. */
function laneOf(openKfId: string, lanes: number): number {
  let hash = 0
  for (let i = 0; i < openKfId.length; i++) hash = (hash * 31 + openKfId.charCodeAt(i)) >>> 0
  return hash % Math.max(1, lanes)
}
