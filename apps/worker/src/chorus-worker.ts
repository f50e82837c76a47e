import type { Logger } from 'pino'
import { ConversationRepository, ReplyService } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import type { Engine } from '@chorus/llm'
import { connectRedis, PoolWorker, RedisKeys } from '@chorus/pool'
import type { WorkerConfig } from './config.js'

export interface RunningWorker {
  worker: PoolWorker
  stop(): Promise<void>
}

/** Starts one pool worker driving `engine`; replies are stored through the conversation package. */
export async function startWorker(config: WorkerConfig, engine: Engine, logger: Logger): Promise<RunningWorker> {
  const db = createDb(config.DATABASE_URL, { poolSize: 5 })
  const redis = connectRedis(config.REDIS_URL, { name: 'chorus-worker-replies' })
  const keys = new RedisKeys(config.CHORUS_REDIS_PREFIX)
  const replies = new ReplyService(new ConversationRepository(db), redis, keys, logger)
  const worker = new PoolWorker({
    redisUrl: config.REDIS_URL,
    keys,
    engine,
    concurrency: config.CHORUS_WORKER_CONCURRENCY,
    logger,
    onComplete: (job, _jobId, result) => replies.recordReply(job, result),
    onFailure: (job, _jobId, error) => replies.recordFailure(job, error),
  })
  await worker.start()
  logger.info(
    { engine: engine.kind, model: engine.model, concurrency: config.CHORUS_WORKER_CONCURRENCY, workerId: worker.id },
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
