import { WechatyBuilder, types, type Wechaty } from 'wechaty'
import type { Logger } from 'pino'
import {
  ChannelUnavailable,
  conversationServices,
  IngestService,
  ingestSettingsFrom,
  OutboxConsumer,
  SerialByKey,
  t,
} from '@chorus/conversation'
import { createDb } from '@chorus/db'
import { ConversationKeys } from '@chorus/conversation'
import { connectRedis, MemoryRateLimiter, redisTarget } from '@chorus/redis'
import type { BotConfig } from './config.js'
import { onMessage } from './on-message.js'
import { retrying } from './retrying.js'
import { SimulatedWeChat } from './simulator/simulated-wechat.js'
import { ThinkingNotices } from './thinking-notices.js'
import { WeChatSender } from './wechat-sender.js'

export interface RunningBot {
  botId: string
  wechaty: Wechaty
  simulator: SimulatedWeChat | undefined
  stop(): Promise<void>
}

const mockPuppet = 'wechaty-puppet-mock'
// How long an inbound message is retried while it cannot be stored (PostgreSQL or Redis away).
const ingestRetryMs = 120_000

/** Starts one WeChat account's bot: Wechaty in, the conversation package, the outbox out. */
export async function startBot(config: BotConfig, logger: Logger): Promise<RunningBot> {
  const db = createDb(config.DATABASE_URL, {
    poolSize: config.CHORUS_DB_POOL_SIZE ?? 5,
    preparedStatements: config.CHORUS_DB_PREPARED_STATEMENTS,
  })
  const redis = connectRedis(redisTarget(config), { name: 'chorus-bot' })
  const keys = new ConversationKeys(config.CHORUS_REDIS_PREFIX)
  const { repo, bots, dispatcher, replies, live, handoff } = conversationServices({
    db,
    redis,
    keys,
    logger,
    maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS,
  })
  // This process is the only one that ingests and sends for its account: its limits (per member,
  // per group, the account's pacing) live in its memory, at no round trip per message.
  const limiter = new MemoryRateLimiter()
  const ingest = new IngestService(repo, bots, dispatcher, replies, handoff, live, limiter, ingestSettingsFrom(config), logger)
  const { id: botId } = await repo.ensureBot(config.CHORUS_BOT_NAME)
  const log = logger.child({ botId })

  // The simulated WeChat has connections of its own: its traffic stands in for WeChat's, not the bot's.
  const simulatorRedis =
    config.WECHATY_PUPPET === mockPuppet
      ? {
          redis: connectRedis(redisTarget(config), { name: 'chorus-bot-simulator' }),
          commands: connectRedis(redisTarget(config), { blocking: true, name: 'chorus-bot-simulator-commands' }),
        }
      : undefined
  const simulator = simulatorRedis
    ? new SimulatedWeChat({ botName: config.CHORUS_BOT_NAME, ...simulatorRedis, keys, logger: log })
    : undefined
  const wechaty = WechatyBuilder.build({ puppet: simulator?.puppet ?? (config.WECHATY_PUPPET as never) })
  const sender = new WeChatSender(wechaty, botId, bots, limiter)
  const thinking = new ThinkingNotices((outgoing) => sender.send(outgoing))

  const chats = new SerialByKey()
  wechaty.on('message', (message) => {
    // Ingest is idempotent on the message id, so a message whose storing failed (PostgreSQL or
    // Redis restarting) is simply handled again. WeChat (the simulator) re-delivers a message
    // not marked handled when the bot comes back.
    const handled = message.self()
      ? recordOwn()
      : chats
          .run(message.room()?.id ?? message.talker().id, () =>
            retrying(answer, {
              forMs: ingestRetryMs,
              onFailure: (error, attempt) => {
                if (attempt === 1) log.warn({ err: error, platformMessageId: message.id }, 'inbound message failed; retrying')
              },
            }),
          )
          .then(() => simulator?.handled(message.id))
    handled.catch((error: unknown) => log.error({ err: error, platformMessageId: message.id }, 'inbound message failed'))

    async function answer() {
      const outcome = await onMessage(message, { botId, botName: config.CHORUS_BOT_NAME, ingest, logger: log })
      if (outcome?.kind !== 'queued') return
      const { settings } = await bots.get(botId)
      const room = message.room()
      const talker = message.talker()
      thinking.schedule(outcome.conversationId, settings.reply.thinkingNoticeMs, {
        channel: room
          ? { kind: 'wechat_group', externalId: room.id, title: '' }
          : { kind: 'wechat_private', externalId: talker.id, title: '' },
        asker: room ? { platformId: talker.id, displayName: talker.name() } : null,
        text: t('thinking', settings.language),
      })
    }
    async function recordOwn() {
      if (!simulator) return
      const room = message.room()
      const to = message.listener()
      await simulator.recordOwnMessage(room ? { roomTopic: await room.topic() } : { contactName: to?.name() }, message.text())
    }
  })
  wechaty.on('friendship', (friendship) => {
    void (async () => {
      if (friendship.type() !== types.Friendship.Receive) return
      const { settings } = await bots.get(botId)
      if (settings.invitations.friends !== 'accept') return
      await friendship.accept()
      log.info('friend request accepted')
    })().catch((error: unknown) => log.warn({ err: error }, 'friend request failed'))
  })
  wechaty.on('room-invite', (invitation) => {
    void (async () => {
      const { settings } = await bots.get(botId)
      if (settings.invitations.groups !== 'accept') return
      await invitation.accept()
      log.info('group invitation accepted')
    })().catch((error: unknown) => log.warn({ err: error }, 'group invitation failed'))
  })
  wechaty.on('scan', (qrcode, status) => {
    const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`
    log.info({ status, qrcode: url }, 'scan the QR code to log in')
    // The admin panel shows it too.
    void redis.set(keys.bot(botId, 'qr'), JSON.stringify({ url, status, at: Date.now() }), 'EX', 300)
  })
  wechaty.on('login', (user) => {
    log.info({ account: user.name() }, 'WeChat account logged in')
    void redis
      .multi()
      .del(keys.bot(botId, 'qr'))
      .set(keys.bot(botId, 'account'), JSON.stringify({ name: user.name(), since: Date.now() }))
      .exec()
  })
  wechaty.on('logout', (user) => {
    log.warn({ account: user.name() }, 'WeChat account logged out')
    void redis.del(keys.bot(botId, 'account'))
  })
  wechaty.on('error', (error) => log.error({ err: error }, 'wechaty error'))

  const loggedIn = new Promise<void>((resolve) => wechaty.once('login', () => resolve()))
  await wechaty.start()
  if (simulator) {
    // The mock account logs in only after start(); its `login` event stands in for ready().
    simulator.login()
    await loggedIn
    await simulator.start()
  }

  const outbox = new OutboxConsumer({
    redis,
    keys,
    outbox: `wechat:${botId}`,
    consumer: 'wechat-bot',
    repo,
    // Paced before the claim: a bot killed while waiting its turn has claimed nothing.
    // The reply's "thinking" notice, not sent yet, is dropped before the wait, not after it.
    awaitTurn: (delivery) => {
      thinking.cancel(delivery.conversationId)
      return sender.awaitTurn(delivery)
    },
    deliver: async (delivery) => {
      // Logged out (a new QR code, a puppet reconnecting): the replies wait for the account.
      if (!wechaty.isLoggedIn) throw new ChannelUnavailable('the WeChat account is logged out')
      thinking.cancel(delivery.conversationId)
      await sender.deliver(delivery, { paced: true })
    },
    live,
    logger: log,
  })
  await outbox.start()
  log.info({ puppet: config.WECHATY_PUPPET, botName: config.CHORUS_BOT_NAME }, 'bot started')

  return {
    botId,
    wechaty,
    simulator,
    async stop() {
      thinking.clear()
      await outbox.stop()
      await simulator?.stop()
      await wechaty.stop()
      await dispatcher.close()
      redis.disconnect()
      simulatorRedis?.redis.disconnect()
      simulatorRedis?.commands.disconnect()
      await db.$disconnect()
    },
  }
}
