import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Logger } from 'pino'
import { promptJob, type PromptJob } from '@chorus/protocol'
import { EngineError, type Engine, type GenerateResult } from '@chorus/llm'
import { promptQueueName, type RedisKeys } from './keys.js'
import { connectRedis, type Redis } from './redis.js'
import { ReplyPublisher } from './reply-stream.js'

export interface PoolWorkerHooks {
  /** Stores the finished reply; runs before the stream's `done` event. Must be idempotent. */
  onComplete(job: PromptJob, jobId: string, result: GenerateResult): Promise<void>
  /** Records a prompt that will not be answered (retries exhausted or not retryable). */
  onFailure(job: PromptJob, jobId: string, error: Error): Promise<void>
}

export interface PoolWorkerOptions extends PoolWorkerHooks {
  redisUrl: string
  keys: RedisKeys
  engine: Engine
  /** Requests in flight on this replica. */
  concurrency: number
  logger: Logger
}

const heartbeatMs = 2000
/** A worker is counted live while its heartbeat is younger than this. */
export const workerLivenessMs = 10_000

/** One pool worker: drives one inference replica with jobs from the prompt queue. */
export class PoolWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  private readonly worker: Worker<PromptJob>
  private readonly redis: Redis
  private readonly blocking: Redis
  private heartbeat: NodeJS.Timeout | undefined

  constructor(private readonly options: PoolWorkerOptions) {
    this.redis = connectRedis(options.redisUrl, { name: 'chorus-worker' })
    this.blocking = connectRedis(options.redisUrl, { blocking: true, name: 'chorus-worker-bullmq' })
    this.worker = new Worker<PromptJob>(promptQueueName, (job, _token, signal) => this.process(job, signal), {
      connection: this.blocking,
      prefix: options.keys.bullPrefix,
      concurrency: options.concurrency,
      autorun: false,
    })
    this.worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'prompt job failed'),
    )
    this.worker.on('error', (error) => options.logger.error({ err: error }, 'worker error'))
  }

  async start(): Promise<void> {
    await this.beat()
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), heartbeatMs)
    void this.worker.run()
    await this.worker.waitUntilReady()
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat)
    await this.worker.close()
    await this.redis.zrem(this.options.keys.workers, this.id).catch(() => undefined)
    this.redis.disconnect()
    this.blocking.disconnect()
  }

  private async beat(): Promise<void> {
    await this.redis.zadd(this.options.keys.workers, Date.now(), this.id)
  }

  private async process(job: Job<PromptJob>, signal?: AbortSignal): Promise<void> {
    const jobId = job.id!
    const log = this.options.logger.child({ jobId })
    const parsed = promptJob.safeParse(job.data)
    if (!parsed.success) throw new UnrecoverableError(`invalid prompt job: ${parsed.error.message}`)
    const data = parsed.data
    const publisher = new ReplyPublisher(this.redis, this.options.keys.reply(jobId))
    const started = Date.now()
    try {
      const result = await this.options.engine.generate(
        { messages: data.messages, maxTokens: data.maxTokens, temperature: data.temperature, signal },
        (chunk) => publisher.delta(chunk.text),
      )
      await this.options.onComplete(data, jobId, result)
      await publisher.finish({
        type: 'done',
        text: result.text,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        finishReason: result.finishReason,
      })
      log.info({ ms: Date.now() - started, tokens: result.completionTokens, engine: this.options.engine.kind }, 'prompt answered')
    } catch (error) {
      const err = error as Error
      const retryable = !(error instanceof EngineError) || error.retryable
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
      if (retryable && !lastAttempt) throw err
      await this.options.onFailure(data, jobId, err)
      await publisher.finish({ type: 'error', code: 'inference_failed', message: 'the model could not answer' })
      throw new UnrecoverableError(err.message)
    }
  }
}

/** How many workers sent a heartbeat recently. */
export async function countLiveWorkers(redis: Redis, keys: RedisKeys): Promise<number> {
  const since = Date.now() - workerLivenessMs
  await redis.zremrangebyscore(keys.workers, '-inf', since - 60_000)
  return redis.zcount(keys.workers, since, '+inf')
}
