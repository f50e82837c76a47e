import { pino, type Logger } from 'pino'
import { apiConfigSchema, startApi, type RunningApi } from '@chorus/api'
import { botConfigSchema, startBot, type RunningBot } from '@chorus/bot'
import { parseEnv } from '@chorus/config'
import { botSettings, type BotSettingsInput } from '@chorus/protocol'
import { startSimulatorServer, type RunningSimulator, type SimulatorParams } from '@chorus/inference-simulator'
import { selectEngine, startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { createTestDatabase, type TestDatabase } from './test-database.js'
import { createTestRedisPrefix } from './test-redis.js'

export interface TestStack {
  api: RunningApi
  bot: RunningBot
  /** Absent when the test runs its workers itself (`worker: false`). */
  worker: RunningWorker | undefined
  env: Record<string, string>
  simulator: RunningSimulator
  database: TestDatabase
  redisPrefix: string
  stop(): Promise<void>
}

/**
 * The whole product in this process, as `npm start` wires it, on a database and Redis prefix of
 * the test's own: API, bot with the WeChat simulator, one pool worker, an inference simulator.
 */
export async function startTestStack(
  options: {
    simulator?: Partial<SimulatorParams>
    env?: Record<string, string>
    worker?: boolean
    botSettings?: BotSettingsInput
    /** Serve this built web panel (a browser test's own build). */
    webDist?: string
    /** What every process of the stack logs to (a test that checks what was logged passes its own). */
    logger?: Logger
    /** How often the API reads the pool for the dashboard's history (default 5 s). */
    poolSampleMs?: number
  } = {},
): Promise<TestStack> {
  const database = await createTestDatabase()
  const redis = await createTestRedisPrefix()
  const simulator = await startSimulatorServer({ ttftMs: 5, itlMs: 1, replyTokens: 8, ...options.simulator })
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    CHORUS_REDIS_PREFIX: redis.prefix,
    PORT: '0',
    CHORUS_MODEL_URL: `${simulator.url}/v1`,
    CHORUS_MODEL_NAME: 'chorus-simulator',
    LOG_LEVEL: 'silent',
    ...options.env,
  }
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const api = await startApi(parseEnv(apiConfigSchema, env), logger, {
    host: '127.0.0.1',
    webDist: options.webDist,
    poolSampleMs: options.poolSampleMs,
  })
  const workerConfig = parseEnv(workerConfigSchema, env)
  const worker =
    options.worker === false ? undefined : await startWorker(workerConfig, await selectEngine(workerConfig), logger, { secrets: env })
  // Tests send fast: no human-like pacing unless a test asks for it.
  const settings = options.botSettings ?? {
    outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 },
    reply: { partDelayMs: 0 },
  }
  await database.db.bot.create({ data: { name: options.env?.CHORUS_BOT_NAME ?? 'Chorus', settings: botSettings.parse(settings) } })
  const bot = await startBot(parseEnv(botConfigSchema, env), logger)
  return {
    api,
    bot,
    worker,
    env,
    simulator,
    database,
    redisPrefix: redis.prefix,
    async stop() {
      await bot.stop()
      await worker?.stop()
      await api.stop()
      await simulator.close()
      await database.drop()
      await redis.cleanup()
    },
  }
}
