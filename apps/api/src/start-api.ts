import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { AgentPresence, BotDirectory, ConversationRepository, HandoffService, LiveEvents, ReplyService } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import { connectRedis, Dispatcher, RateLimiter, RedisKeys, ReplyReader } from '@chorus/pool'
import { createApp } from './app.js'
import type { ApiConfig } from './config.js'
import { AuditTrail } from './features/audit/audit-trail.js'
import { AuthRepository } from './features/auth/auth.repository.js'
import { AuthService } from './features/auth/auth.service.js'
import { AssistService } from './features/conversations/assist.service.js'
import { ConversationsRepository } from './features/conversations/conversations.repository.js'
import { HandoffSweeper } from './features/conversations/handoff-sweeper.js'
import { LiveHub } from './features/live/live-hub.js'
import { StaffRepository } from './features/staff/staff.repository.js'

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
   * own); `sweepIntervalMs`: how often waiting conversations are offered to agents again.
   */
  options: { host?: string; webDist?: string; sweepIntervalMs?: number } = {},
): Promise<RunningApi> {
  const db = createDb(config.DATABASE_URL)
  const redis = connectRedis(config.REDIS_URL, { name: 'chorus-api' })
  const keys = new RedisKeys(config.CHORUS_REDIS_PREFIX)
  const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS, logger })
  const replies = new ReplyReader(config.REDIS_URL, keys)
  const noModel = !config.CHORUS_MODEL_URL && !config.CHORUS_GGUF_PATH
  const repo = new ConversationRepository(db)
  const bots = new BotDirectory(repo)
  const live = new LiveEvents(redis, keys)
  const presence = new AgentPresence(redis, keys)
  const audit = new AuditTrail(db)
  const authRepo = new AuthRepository(db)
  const auth = new AuthService(authRepo, new RateLimiter(redis, keys), audit, logger)
  await auth.bootstrapAdmin(config.CHORUS_ADMIN_EMAIL, config.CHORUS_ADMIN_PASSWORD)
  const replyService = new ReplyService(repo, bots, redis, keys, logger)
  const handoff = new HandoffService({ db, repo, bots, replies: replyService, dispatcher, presence, live, logger })
  const conversations = new ConversationsRepository(db)
  const assist = new AssistService(
    conversations,
    dispatcher,
    replies,
    { timeoutMs: 60_000, maxTokens: config.CHORUS_MAX_REPLY_TOKENS },
    logger,
  )
  const hub = new LiveHub({ redisUrl: config.REDIS_URL, keys, conversations, logger })
  await hub.start()
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
  sweeper.start()
  const app = createApp({
    webDist: options.webDist,
    db,
    redis,
    keys,
    dispatcher,
    replies,
    apiKeys: config.CHORUS_API_KEYS,
    maxTokensLimit: config.CHORUS_V1_MAX_TOKENS,
    logger,
    staff: { auth, authRepo, audit, conversations, staffRepo: new StaffRepository(db), handoff, assist, presence, hub },
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
      // Live streams never end on their own: close them so the server can stop.
      hub.stop()
      server.closeIdleConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await dispatcher.close()
      replies.close()
      redis.disconnect()
      await db.$disconnect()
    },
  }
}
