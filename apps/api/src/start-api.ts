import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { createDb } from '@chorus/db'
import { connectRedis, Dispatcher, RedisKeys, ReplyReader } from '@chorus/pool'
import { createApp } from './app.js'
import type { ApiConfig } from './config.js'

export interface RunningApi {
  server: Server
  url: string
  stop(): Promise<void>
}

/** Starts the API on `config.PORT` (0 for any free port) on all interfaces. */
export async function startApi(config: ApiConfig, logger: Logger, options: { host?: string } = {}): Promise<RunningApi> {
  const db = createDb(config.DATABASE_URL)
  const redis = connectRedis(config.REDIS_URL, { name: 'chorus-api' })
  const keys = new RedisKeys(config.CHORUS_REDIS_PREFIX)
  const dispatcher = new Dispatcher(redis, keys, { maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS, logger })
  const replies = new ReplyReader(config.REDIS_URL, keys)
  const noModel = !config.CHORUS_MODEL_URL && !config.CHORUS_GGUF_PATH
  const app = createApp({
    db,
    redis,
    keys,
    dispatcher,
    replies,
    apiKeys: config.CHORUS_API_KEYS,
    maxTokensLimit: config.CHORUS_V1_MAX_TOKENS,
    logger,
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
      server.closeIdleConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await dispatcher.close()
      replies.close()
      redis.disconnect()
      await db.$disconnect()
    },
  }
}
