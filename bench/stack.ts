import { apiConfigSchema, startApi, type RunningApi } from '@chorus/api'
import { botConfigSchema, startBot, type RunningBot } from '@chorus/bot'
import { parseEnv } from '@chorus/config'
import { createDb } from '@chorus/db'
import { botSettings } from '@chorus/protocol'
import { ConversationKeys } from '@chorus/conversation'
import { selectEngine, startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import type { BenchSimulator } from './simulators.js'
import { silentLogger } from './support.js'

/** Accepted by the stack's `/v1`. */
export const benchApiKey = 'bench-key'
export const botName = 'Chorus'

/**
 * The bench measures the platform, not the bot's deliberate pacing of what it sends to WeChat
 * (per-chat and per-account limits with random jitter, to keep the account safe): both limits at
 * their maximum (6000 a minute), no jitter, and no "thinking" notices.
 */
const benchBotSettings = botSettings.parse({
  outgoing: { perGroupPerMinute: 6000, perAccountPerMinute: 6000, jitterMs: 0 },
  reply: { thinkingNoticeMs: 0 },
})

/**
 * The whole product in this process, as `npm start` wires it (API with the WeChat simulator's
 * routes and `/v1`, bot on the mock puppet), on the bench's own database and Redis prefix. Each
 * figure starts the pool worker it needs, driving a simulator of its own parameters.
 */
export class BenchStack {
  readonly keys: ConversationKeys

  private constructor(
    readonly api: RunningApi,
    readonly bot: RunningBot,
    private readonly env: Record<string, string>,
  ) {
    this.keys = new ConversationKeys(env.CHORUS_REDIS_PREFIX!)
  }

  static async start(options: { databaseUrl: string; redisUrl: string; redisPrefix: string; modelUrl: string }): Promise<BenchStack> {
    const env: Record<string, string> = {
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      CHORUS_REDIS_PREFIX: options.redisPrefix,
      PORT: '0',
      LOG_LEVEL: 'silent',
      // A model is configured, so the API does not serve its built-in simulator.
      CHORUS_MODEL_URL: options.modelUrl,
      CHORUS_MODEL_NAME: 'chorus-simulator',
      CHORUS_API_KEYS: benchApiKey,
      CHORUS_BOT_NAME: botName,
      // The bench measures capacity, not the per-user and per-group rate limits.
      CHORUS_USER_RATE_PER_MIN: '100000',
      CHORUS_GROUP_RATE_PER_MIN: '100000',
    }
    const db = createDb(options.databaseUrl, { poolSize: 1 })
    await db.bot
      .upsert({ where: { name: botName }, create: { name: botName, settings: benchBotSettings }, update: { settings: benchBotSettings } })
      .finally(() => db.$disconnect())
    const api = await startApi(parseEnv(apiConfigSchema, env), silentLogger, { host: '127.0.0.1' })
    const bot = await startBot(parseEnv(botConfigSchema, env), silentLogger)
    return new BenchStack(api, bot, env)
  }

  /** Starts a pool worker (one replica) driving `simulator` with `concurrency` requests at once. */
  async startWorker(simulator: BenchSimulator, concurrency: number, replicaId: string): Promise<RunningWorker> {
    const config = parseEnv(workerConfigSchema, {
      ...this.env,
      CHORUS_MODEL_URL: simulator.baseURL,
      CHORUS_WORKER_CONCURRENCY: String(concurrency),
    })
    return startWorker(config, await selectEngine(config), silentLogger, { replicaId })
  }

  async stop(): Promise<void> {
    await this.bot.stop()
    await this.api.stop()
  }
}
