import type { Logger } from 'pino'
import { BotDirectory, ConversationRepository, PromptPreparer, ReplyService } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import type { Engine } from '@chorus/llm'
import { connectRedis, PoolWorker, RedisKeys } from '@chorus/pool'
import type { WorkerConfig } from './config.js'

export interface RunningWorker {
  worker: PoolWorker
  stop(): Promise<void>
}

/** Starts one pool worker driving `engine`; prompts are built and replies stored through the conversation package. */
export async function startWorker(
  config: WorkerConfig,
  engine: Engine,
  logger: Logger,
  options: { replicaId?: string } = {},
): Promise<RunningWorker> {
  const db = createDb(config.DATABASE_URL, { poolSize: 5 })
  const redis = connectRedis(config.REDIS_URL, { name: 'chorus-worker-replies' })
  const keys = new RedisKeys(config.CHORUS_REDIS_PREFIX)
  const repo = new ConversationRepository(db)
  const replies = new ReplyService(repo, new BotDirectory(repo), redis, keys, logger)
  const preparer = new PromptPreparer(repo, { contextTokens: config.CHORUS_CONTEXT_TOKENS, maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS })
  const worker = new PoolWorker({
    redisUrl: config.REDIS_URL,
    keys,
    engine,
    concurrency: config.CHORUS_WORKER_CONCURRENCY,
    logger,
    replicaId: options.replicaId,
    maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS,
    generationTimeoutMs: config.CHORUS_GENERATION_TIMEOUT_MS,
    firstTokenTimeoutMs: config.CHORUS_FIRST_TOKEN_TIMEOUT_MS,
    prepare: (job) => preparer.prepare(job),
    onComplete: (job, prepared, result) => replies.recordReply(job, prepared, result),
    onFailure: (job, prepared, error) => replies.recordFailure(job, prepared, error),
  })
  await worker.start()
  logger.info(
    { engine: engine.kind, model: engine.model, concurrency: config.CHORUS_WORKER_CONCURRENCY, replicaId: worker.id },
    'worker started',
  )
  return {
    worker,
    async stop() {
      await worker.close()
      await engine.close()
      redis.disconnect()
      await db.$disconnect()
    },
  }
}
