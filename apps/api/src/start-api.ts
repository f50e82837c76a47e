import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { conversationServices, IngestService, ingestSettingsFrom, OutboxConsumer } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import { ReplyReader } from '@chorus/pool'
import { ApiRedisKeys } from './redis-keys.js'
import { connectRedis, RateLimiter, redisTarget } from '@chorus/redis'
import { customerServiceRefusal, wechatFromConfig, weComKfFromConfig } from '@chorus/wechat-api'
import { createApp } from './app.js'
import type { ApiConfig } from './config.js'
import { FleetSignals } from './fleet/fleet-signals.js'
import { FleetSubscriber } from './fleet/fleet-subscriber.js'
import { ApiKeysRepository } from './features/api-keys/api-keys.repository.js'
import { AuditTrail } from './features/audit/audit-trail.js'
import { AuthRepository } from './features/auth/auth.repository.js'
import { AuthService } from './features/auth/auth.service.js'
import { BotsRepository } from './features/bots/bots.repository.js'
import { DataProtectionRepository } from './features/data-protection/data-protection.repository.js'
import { RetentionJob } from './features/data-protection/retention-job.js'
import { PoolHistory } from './features/pool/pool-history.js'
import { knowledgeFromConfig } from '@chorus/knowledge'
import { ModelEndpointsRepository } from './features/model-endpoints/model-endpoints.repository.js'
import { AssistService } from './features/conversations/assist.service.js'
import { ConversationsRepository } from './features/conversations/conversations.repository.js'
import { HandoffSweeper } from './features/conversations/handoff-sweeper.js'
import { LiveHub } from './features/live/live-hub.js'
import { ApiKeys } from './features/openai/api-keys.js'
import { MiniProgramAuth } from './features/miniprogram/miniprogram-auth.js'
import { CustomerServiceSender } from './features/miniprogram/customer-service-sender.js'
import { MiniProgramDelivery } from './features/miniprogram/miniprogram-delivery.js'
import { MiniProgramLiveHub } from './features/miniprogram/miniprogram-live-hub.js'
import { MiniProgramRepository } from './features/miniprogram/miniprogram.repository.js'
import { ReplyWaiter } from './features/miniprogram/reply-waiter.js'
import { StaffRepository } from './features/staff/staff.repository.js'
import { McpServersRepository } from './features/tools/mcp-servers.repository.js'
import { mcpToolLister } from './features/tools/mcp-tool-listing.js'
import { weComFromConfig, weComHandoff } from './features/wecom/wecom-from-config.js'

/** The API's PostgreSQL connections unless CHORUS_DB_POOL_SIZE says otherwise. */
const apiDbPoolSize = 10

export interface RunningApi {
  server: Server
  url: string
  stop(): Promise<void>
}

/** Starts the API on `config.PORT` (0 for any free port) on all interfaces. */
export async function startApi(
  config: ApiConfig,
  logger: Logger,
  /**
   * `webDist`: serve the web panel from this folder rather than apps/web/dist (tests build their
   * own); `sweepIntervalMs`: how often waiting conversations are offered to agents again;
   * `poolSampleMs`: how often the pool is read for the dashboard's history.
   */
  options: { host?: string; webDist?: string; sweepIntervalMs?: number; poolSampleMs?: number } = {},
): Promise<RunningApi> {
  const db = createDb(config.DATABASE_URL, {
    poolSize: config.CHORUS_DB_POOL_SIZE ?? apiDbPoolSize,
    preparedStatements: config.CHORUS_DB_PREPARED_STATEMENTS,
  })
  const redis = connectRedis(redisTarget(config), { name: 'chorus-api' })
  const simulatorRedis = connectRedis(redisTarget(config), { name: 'chorus-api-simulator' })
  const keys = new ApiRedisKeys(config.CHORUS_REDIS_PREFIX)
  const weComClient = weComKfFromConfig(config, redis, keys)
  const {
    repo,
    bots,
    dispatcher,
    live,
    presence,
    handoff,
    replies: replyService,
  } = conversationServices({
    db,
    redis,
    keys,
    logger,
    maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS,
    channelHandoff: weComClient ? weComHandoff(weComClient, logger) : undefined,
  })
  const replies = new ReplyReader(redisTarget(config), keys)
  const noModel = !config.CHORUS_MODEL_URL && !config.CHORUS_GGUF_PATH && !config.CHORUS_MODEL
  const audit = new AuditTrail(db)
  const authRepo = new AuthRepository(db)
  const apiKeysRepo = new ApiKeysRepository(db)
  const auth = new AuthService(authRepo, new RateLimiter(redis, keys), audit, logger)
  await auth.bootstrapAdmin(config.CHORUS_ADMIN_EMAIL, config.CHORUS_ADMIN_PASSWORD)
  const conversations = new ConversationsRepository(db)
  const knowledge = knowledgeFromConfig(db, config, logger)
  const assist = new AssistService(
    conversations,
    bots,
    knowledge.search,
    dispatcher,
    replies,
    { timeoutMs: 60_000, maxTokens: config.CHORUS_MAX_REPLY_TOKENS },
    logger,
  )
  const subscriber = new FleetSubscriber(redisTarget(config), logger)
  const hub = new LiveHub({ subscriber, keys, conversations, logger })
  await hub.start()
  const apiKeys = new ApiKeys(config.CHORUS_API_KEYS, apiKeysRepo, logger)
  const signals = new FleetSignals({ redis, subscriber, keys, logger })
  signals.on('staff-access-changed', ({ staffId }) => hub.disconnect(staffId))
  signals.on('api-key-revoked', ({ apiKeyId }) => apiKeys.forget(apiKeyId))
  await signals.start()
  const sweeper = new HandoffSweeper({
    handoff,
    assist,
    conversations,
    live,
    redis,
    keys,
    logger,
    intervalMs: options.sweepIntervalMs ?? 3000,
  })
  await sweeper.start()
  const dataRepo = new DataProtectionRepository(db)
  const retention = new RetentionJob(dataRepo, audit, logger, { connection: redis, prefix: keys.bullPrefix })
  await retention.start()

  // The mini-program channel: chat through the same conversation package as the bot.
  const limiter = new RateLimiter(redis, keys)
  const wechat = wechatFromConfig(config, redis, keys, {
    onFailure: (error) => logger.warn({ errcode: error.errcode }, 'content check failed'),
    onUnchecked: (reason) => logger.info({ reason }, 'content not checked: WeChat cannot check text for this user'),
  })
  const ingest = new IngestService(repo, bots, dispatcher, replyService, handoff, live, limiter, ingestSettingsFrom(config), logger)
  const mpRepo = new MiniProgramRepository(db)
  const mpHub = new MiniProgramLiveHub({ redis: redisTarget(config), keys, repo: mpRepo, logger })
  await mpHub.start()
  const mpDelivery = new MiniProgramDelivery({
    redis,
    keys,
    repo: mpRepo,
    wechat: wechat?.client ?? null,
    customerService: new CustomerServiceSender(
      wechat ? { sendText: (to, text) => wechat.client.sendCustomText(to, text), refusal: customerServiceRefusal } : null,
      (replyId) => repo.replyWindow(replyId),
    ),
    subscribeTemplateId: config.WECHAT_SUBSCRIBE_TEMPLATE_ID,
    logger,
  })
  const mpOutbox = new OutboxConsumer({
    redis,
    keys,
    outbox: 'miniprogram',
    consumer: `api-${process.pid}-${randomUUID().slice(0, 8)}`,
    ephemeralName: true,
    repo,
    deliver: (delivery, progress) => mpDelivery.deliver(delivery, progress),
    live,
    logger,
  })
  await mpOutbox.start()

  // WeCom customer service (微信客服): pulled on WeCom's notifications, answered by send_msg.
  const weCom = weComFromConfig(weComClient, config, {
    db,
    conversations: repo,
    ingest,
    bots,
    live,
    dbPoolSize: config.CHORUS_DB_POOL_SIZE ?? apiDbPoolSize,
    logger,
  })
  const weComOutbox = weCom
    ? new OutboxConsumer({
        redis,
        keys,
        outbox: 'wecom_kf',
        consumer: `api-${process.pid}-${randomUUID().slice(0, 8)}`,
        ephemeralName: true,
        repo,
        deliver: (delivery, progress) => weCom.delivery.deliver(delivery, progress),
        live,
        logger,
      })
    : undefined
  await weComOutbox?.start()
  const poolHistory = new PoolHistory({ dispatcher, redis, keys, logger }, options.poolSampleMs)
  poolHistory.start()
  const app = createApp({
    poolHistory,
    miniProgram: {
      mpAuth: new MiniProgramAuth(mpRepo, wechat?.client ?? null, config.CHORUS_BOT_NAME),
      mpRepo,
      ingest,
      waiter: new ReplyWaiter(mpRepo, replies, 120_000),
      contentCheck: wechat?.contentCheck ?? null,
      mpHub,
      pushToken: config.WECHAT_PUSH_TOKEN,
      aesKey: config.WECHAT_PUSH_AES_KEY,
      appId: config.WECHAT_APPID,
      botName: config.CHORUS_BOT_NAME,
    },
    weCom: {
      callback: weCom?.callback ?? null,
      sync: weCom?.sync ?? null,
      admin: weCom ? { client: weCom.client, repo: weCom.repo } : null,
      logger,
    },
    webDist: options.webDist,
    corsOrigins: config.CHORUS_CORS_ORIGINS,
    db,
    redis,
    simulatorRedis,
    keys,
    dispatcher,
    replies,
    apiKeys,
    maxTokensLimit: config.CHORUS_V1_MAX_TOKENS,
    logger,
    staff: {
      auth,
      authRepo,
      audit,
      conversations,
      staffRepo: new StaffRepository(db),
      handoff,
      assist,
      presence,
      hub,
      signals,
      botsRepo: new BotsRepository(db),
      endpointsRepo: new ModelEndpointsRepository(db),
      apiKeysRepo,
      dataRepo,
      retention,
      knowledge,
      mcpServersRepo: new McpServersRepository(db),
      // `${NAME}` in an MCP server's header values: the environment the API was started with.
      listTools: mcpToolLister(process.env),
    },
    maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS,
    inferenceSimulator: noModel
      ? {
          ttftMs: config.CHORUS_SIMULATOR_TTFT_MS,
          itlMs: config.CHORUS_SIMULATOR_ITL_MS,
          maxBatch: config.CHORUS_SIMULATOR_MAX_BATCH,
        }
      : undefined,
  })
  const server = createServer(app)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.PORT, options.host ?? '0.0.0.0', resolve)
  })
  const { port } = server.address() as AddressInfo
  logger.info({ port }, 'API listening')
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await sweeper.stop()
      await poolHistory.stop()
      await retention.stop()
      await mpOutbox.stop()
      await weComOutbox?.stop()
      // Live streams never end on their own: close them so the server can stop.
      hub.stop()
      subscriber.stop()
      mpHub.stop()
      server.closeIdleConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await dispatcher.close()
      replies.close()
      redis.disconnect()
      simulatorRedis.disconnect()
      await db.$disconnect()
    },
  }
}
