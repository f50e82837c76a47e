import { WechatyBuilder, type Wechaty } from 'wechaty'
import type { Logger } from 'pino'
import { ConversationRepository, IngestService, OutboxConsumer, ReplyService } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import { connectRedis, Dispatcher, RateLimiter, RedisKeys } from '@chorus/pool'
import type { BotConfig } from './config.js'
import { deliverToWeChat } from './deliver.js'
import { onMessage } from './on-message.js'
import { SimulatedWeChat } from './simulator/simulated-wechat.js'

export interface RunningBot {
  botId: string
  wechaty: Wechaty
  simulator: SimulatedWeChat | undefined
  stop(): Promise<void>
}

const mockPuppet = 'wechaty-puppet-mock'

/** Starts one WeChat account's bot: Wechaty in, the conversation package, the outbox out. */
export async function startBot(config: BotConfig, logger: Logger): Promise<RunningBot> {
  const db = createDb(config.DATABASE_URL, { poolSize: 5 })
  const redis = connectRedis(config.REDIS_URL, { name: 'chorus-bot' })
  const outboxRedis = connectRedis(config.REDIS_URL, { blocking: true, name: 'chorus-bot-outbox' })
  const commandsRedis = connectRedis(config.REDIS_URL, { blocking: true, name: 'chorus-bot-simulator' })
  const keys = new RedisKeys(config.CHORUS_REDIS_PREFIX)
  const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS, logger })
  const repo = new ConversationRepository(db)
  const ingest = new IngestService(
    repo,
    dispatcher,
    new ReplyService(repo, redis, keys, logger),
    new RateLimiter(redis, keys),
    {
      maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS,
      userRate: { capacity: config.CHORUS_USER_RATE_PER_MIN, perMinute: config.CHORUS_USER_RATE_PER_MIN },
      groupRate: { capacity: config.CHORUS_GROUP_RATE_PER_MIN, perMinute: config.CHORUS_GROUP_RATE_PER_MIN },
    },
    logger,
  )
  const { id: botId } = await repo.ensureBot(config.CHORUS_BOT_NAME)
  const log = logger.child({ botId })

  const simulator =
    config.WECHATY_PUPPET === mockPuppet
      ? new SimulatedWeChat({ botName: config.CHORUS_BOT_NAME, redis, commands: commandsRedis, keys, logger: log })
      : undefined
  const wechaty = WechatyBuilder.build({ puppet: simulator?.puppet ?? (config.WECHATY_PUPPET as never) })

  wechaty.on('message', (message) => {
    const handled = message.self() ? recordOwn() : onMessage(message, { botId, ingest, logger: log })
    handled.catch((error: unknown) => log.error({ err: error, platformMessageId: message.id }, 'inbound message failed'))
    async function recordOwn() {
      if (!simulator) return
      const room = message.room()
      const to = message.listener()
      await simulator.recordOwnMessage(room ? { roomTopic: await room.topic() } : { contactName: to?.name() }, message.text())
    }
  })
  wechaty.on('scan', (qrcode, status) =>
    log.info({ status, qrcode: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` }, 'scan the QR code to log in'),
  )
  wechaty.on('login', (user) => log.info({ account: user.name() }, 'WeChat account logged in'))
  wechaty.on('logout', (user) => log.warn({ account: user.name() }, 'WeChat account logged out'))
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
    redis: outboxRedis,
    keys,
    outbox: `wechat:${botId}`,
    consumer: 'wechat-bot',
    repo,
    deliver: async (delivery) => {
      await deliverToWeChat(wechaty, delivery)
    },
    logger: log,
  })
  await outbox.start()
  log.info({ puppet: config.WECHATY_PUPPET, botName: config.CHORUS_BOT_NAME }, 'bot started')

  return {
    botId,
    wechaty,
    simulator,
    async stop() {
      await outbox.stop()
      await simulator?.stop()
      await wechaty.stop()
      await dispatcher.close()
      redis.disconnect()
      outboxRedis.disconnect()
      commandsRedis.disconnect()
      await db.$disconnect()
    },
  }
}
