import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Logger } from 'pino'
import { promptJob, type ChatMessage, type PromptJob } from '@chorus/protocol'
import { EngineError, RequestRefused, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from '@chorus/llm'
import { cancellationsKeptMs, defaultLoadsMaxAgeMs, Dispatcher } from './dispatcher.js'
import { lanes, replicaQueueName, type Lane, type PoolKeys } from './keys.js'
import { RecentSet } from './recent-set.js'
import { PoolMetrics } from './pool-metrics.js'
import { connectRedis, Periodic, SharedSchedule, type RedisClient, type RedisTarget } from '@chorus/redis'
import { ReplyPublisher, replyStreamId, unreadReply, type ReplySink } from './reply-stream.js'
import { laneConcurrency, Slots } from './slots.js'

/**
 * What a prompt becomes when its job starts: the messages to send, what else goes to the engine
 * with them, and what the hooks that prepared it want back when it ends (`Context`: the pool
 * never reads it).
 */
export interface PreparedPrompt<Context = unknown> {
  messages: ChatMessage[]
  /** Passed to the engine with the messages (for instance the sources a grounded engine cites). */
  engine?: Pick<GenerateRequest, 'sources'>
  /** A reply decided without the engine. */
  answer?: string
  /**
   * Drives the engine itself instead of one call (a bot's tool loop: several calls, all on this
   * replica, whose prefix cache holds the growing prompt).
   */
  generate?(engine: Engine, request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult>
  context?: Context
}

export interface PoolWorkerHooks<Context = unknown> {
  /**
   * Builds the prompt when the job starts (from the latest history) for `engine`, the replica's,
   * which will answer it; null: nothing to answer.
   */
  prepare(job: PromptJob, engine: Engine): Promise<PreparedPrompt<Context> | null>
  /**
   * Stores the finished reply; runs before the stream's `done` event. Must be idempotent. May
   * return text it added to the reply (the sources cited), streamed as a last delta.
   */
  onComplete(job: PromptJob, prepared: PreparedPrompt<Context>, result: GenerateResult): Promise<{ appended?: string } | void>
  /** Records a prompt that will not be answered (tries exhausted or not retryable). */
  onFailure(job: PromptJob, prepared: PreparedPrompt<Context> | null, error: Error): Promise<void>
}

export interface PoolWorkerOptions<Context = unknown> extends PoolWorkerHooks<Context> {
  /** Where Redis is (a URL is a single server). */
  redis: RedisTarget | string
  keys: PoolKeys
  engine: Engine
  /** Requests in flight on this replica: enough to keep its batch full, not more. */
  concurrency: number
  logger: Logger
  /** A prompt that runs longer is stopped and tried on another replica. */
  generationTimeoutMs?: number
  /** A replica that sends no first token for this long is treated as hung. */
  firstTokenTimeoutMs?: number
  /** Tries per prompt, on different replicas where possible. */
  maxAttempts?: number
  /** Consecutive failures after which the replica is marked down and probed. */
  downAfterErrors?: number
  maxQueueWaitMs?: number
  /** Fixed replica id (tests); by default host, pid and a random suffix. */
  replicaId?: string
  /** The model name the pool routes by (a model endpoint's name); by default the engine's model. */
  poolModel?: string
}

const heartbeatMs = 1000
// Dispatchers read replicas' states again at most this long after the last read: a replica that
// said it is down is chosen by none after this.
const dispatchersSeeDownMs = defaultLoadsMaxAgeMs + 200
// After the cancel subscription moved or came back, prompts ask Redis's log of cancellations for a
// while too: the new subscription and the read of the log go over different connections.
const resubscribeGraceMs = 5000
const janitorMs = 2000
// How soon a batch prompt looks again for a free slot after giving one to customers' prompts.
const batchRecheckMs = 50
const probeMs = 2000

class Cancelled extends Error {
  override readonly name = 'Cancelled'
}

/** A hook (preparing the prompt, storing the reply) failed: the database, say, not the replica. */
class HookFailed extends Error {
  override readonly name = 'HookFailed'
}

async function hook<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw new HookFailed(error instanceof Error ? error.message : String(error), { cause: error })
  }
}

/** One pool worker: drives one inference replica with the prompts routed to it. */
export class PoolWorker<Context = unknown> {
  readonly id: string
  private readonly redis: RedisClient
  private readonly blocking: RedisClient
  private readonly subscriber: RedisClient
  /** One BullMQ worker per lane; both take their prompts' slots from `slots`. */
  private readonly workers: Array<Worker<PromptJob>>
  private readonly slots: Slots
  private readonly dispatcher: Dispatcher
  private readonly metrics: PoolMetrics
  private readonly running = new Map<string, AbortController>()
  private readonly housekeeping: Periodic[] = []
  private readonly janitor: SharedSchedule
  private consecutiveErrors = 0
  private down = false
  private closing = false
  private serviceMs = 0
  /** Jobs cancelled: heard, or read from the log on (re)subscribing (bounded: the oldest go first). */
  private readonly cancelled = new RecentSet(10_000)
  /** Until when a prompt asks Redis whether it was cancelled: while `cancelled` may lack one. */
  private askRedisUntil = Number.POSITIVE_INFINITY

  constructor(private readonly options: PoolWorkerOptions<Context>) {
    this.id = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^a-zA-Z0-9_.-]/g, '_')
    this.redis = connectRedis(options.redis, { name: 'chorus-worker' })
    this.blocking = connectRedis(options.redis, { blocking: true, name: 'chorus-worker-bullmq' })
    this.subscriber = connectRedis(options.redis, { blocking: true, name: 'chorus-worker-cancel' })
    this.dispatcher = new Dispatcher(this.redis, options.keys, { maxQueueWaitMs: options.maxQueueWaitMs ?? 60_000, logger: options.logger })
    this.metrics = new PoolMetrics(this.redis, options.keys, (error) => options.logger.warn({ err: error }, 'pool metrics not added'))
    const concurrency = laneConcurrency(options.concurrency)
    this.slots = new Slots(options.concurrency, concurrency.reserved)
    this.janitor = new SharedSchedule({
      redis: options.redis,
      prefix: options.keys.bullPrefix,
      name: 'pool-janitor',
      everyMs: janitorMs,
      work: () => this.sweep(),
      onError: (error) => options.logger.warn({ err: error }, 'pool sweep failed'),
    })
    this.workers = lanes.map((lane: Lane) => {
      const worker = new Worker<PromptJob>(replicaQueueName(this.id, lane), (job, _token, signal) => this.process(lane, job, signal), {
        connection: this.blocking,
        prefix: options.keys.bullPrefix,
        concurrency: concurrency[lane],
        autorun: false,
      })
      worker.on('failed', (job, error) => options.logger.warn({ jobId: job?.id, err: error.message }, 'prompt job failed'))
      worker.on('error', (error) => options.logger.error({ err: error }, 'worker error'))
      return worker
    })
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel, jobId: string) => {
      this.cancelled.add(jobId)
      this.running.get(jobId)?.abort(new Cancelled('cancelled'))
    })
    // Subscribed, then the log read: every cancellation from then on is heard, every earlier one was logged.
    await this.subscriber.subscribe(this.options.keys.cancel)
    await this.readCancellations(0)
    // Resubscribed after a reconnection, or moved to another node of a Redis Cluster (without a 'close').
    const resubscribed = () => {
      this.askRedisUntil = Number.POSITIVE_INFINITY
      void this.readCancellations(resubscribeGraceMs)
    }
    for (const event of ['ready', '+node', '-node']) this.subscriber.on(event, resubscribed)
    this.subscriber.on('close', () => (this.askRedisUntil = Number.POSITIVE_INFINITY))
    await this.beat()
    // This replica's own: its heartbeat, and while it is down, its probe. A probe of a hung replica
    // takes longer than its interval: Periodic never runs two at once.
    for (const [everyMs, work] of [
      [heartbeatMs, () => this.beat()],
      [probeMs, () => this.probe()],
    ] as const) {
      const job = new Periodic(work, { everyMs, onError: (error) => this.options.logger.warn({ err: error }, 'pool housekeeping failed') })
      job.start()
      this.housekeeping.push(job)
    }
    for (const worker of this.workers) void worker.run()
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()))
    // The pool's: one run every interval by whichever worker is free. This one looks once now,
    // so the first replica up takes what waited unrouted at once.
    await this.janitor.start()
    await this.sweep()
  }

  /**
   * Stops taking prompts, lets those in flight finish, and leaves the pool. It says so first (its
   * heartbeat reports it down, and keeps going while its prompts finish, so no sweep takes it for
   * dead); what was queued for it is moved once no dispatcher can still be choosing it.
   */
  async close(): Promise<void> {
    this.closing = true
    const saidDownAt = Date.now()
    await this.beat().catch(() => undefined)
    await Promise.all(this.workers.map((worker) => worker.close()))
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, saidDownAt + dispatchersSeeDownMs - Date.now())))
    await Promise.all([...this.housekeeping.map((job) => job.stop()), this.janitor.stop()])
    await this.dispatcher.rescue(this.id, { includeActive: false, removeReplica: true }).catch(() => undefined)
    await this.dispatcher.close()
    await this.metrics.flush()
    this.redis.disconnect()
    this.blocking.disconnect()
    this.subscriber.disconnect()
  }

  /**
   * Whether a prompt was cancelled before it started: from the cancellations this worker knows,
   * without a round trip; Redis's log is asked only while the subscription is away or was just renewed.
   */
  private async wasCancelled(jobId: string): Promise<boolean> {
    if (this.cancelled.has(jobId)) return true
    if (Date.now() >= this.askRedisUntil) return false
    return (await this.redis.zscore(this.options.keys.cancellations, jobId)) !== null
  }

  /** Reads the last hour's cancellations into `cancelled`; Redis is asked for `graceMs` more (or, if this fails, until the next try). */
  private async readCancellations(graceMs: number): Promise<void> {
    try {
      const jobIds = await this.redis.zrangebyscore(this.options.keys.cancellations, Date.now() - cancellationsKeptMs, '+inf')
      for (const jobId of jobIds) this.cancelled.add(jobId)
      this.askRedisUntil = Date.now() + graceMs
    } catch (error) {
      this.options.logger.warn({ err: error }, 'the log of cancellations was not read: each prompt asks Redis')
    }
  }

  private async beat(): Promise<void> {
    // Dispatchers read this load instead of asking every replica's queue on each prompt.
    const load = await this.dispatcher.queuedOn(this.id)
    await this.dispatcher.registry.heartbeat({
      id: this.id,
      model: this.options.poolModel ?? this.options.engine.model,
      engine: this.options.engine.kind,
      capacity: this.options.concurrency,
      inFlight: this.running.size,
      // Closing counts as down: dispatchers stop choosing this replica at their next read.
      down: this.down || this.closing,
      serviceMs: this.serviceMs,
      load,
    })
  }

  /** Moves the prompts of replicas that stopped sending heartbeats, and the unrouted ones once a replica is up. */
  private async sweep(): Promise<void> {
    for (const dead of await this.dispatcher.registry.dead()) {
      await this.dispatcher.rescue(dead, { includeActive: true, removeReplica: true })
    }
    if ((await this.dispatcher.candidates('')).length > 0) await this.dispatcher.rescue('', { includeActive: false, removeReplica: false })
  }

  private async probe(): Promise<void> {
    if (!this.down) return
    // Dispatchers see a replica down only at their next read of the loads: what reached it meanwhile moves on.
    await this.dispatcher.rescue(this.id, { includeActive: false, removeReplica: false })
    await this.options.engine.probe()
    this.down = false
    this.consecutiveErrors = 0
    for (const worker of this.workers) worker.resume()
    await this.beat()
    this.options.logger.info({ replicaId: this.id }, 'replica answers again: marked up')
  }

  private async markDown(): Promise<void> {
    if (this.down) return
    this.down = true
    await Promise.all(this.workers.map((worker) => worker.pause(true)))
    await this.beat()
    this.options.logger.error({ replicaId: this.id, errors: this.consecutiveErrors }, 'replica marked down after repeated errors')
    await this.dispatcher.rescue(this.id, { includeActive: false, removeReplica: false })
  }

  private async process(lane: Lane, job: Job<PromptJob>, signal?: AbortSignal): Promise<void> {
    const parsed = promptJob.safeParse(job.data)
    if (!parsed.success) throw new UnrecoverableError(`invalid prompt job: ${parsed.error.message}`)
    // The lanes' prompts share the replica's slots; the main lane leaves some free.
    const giveBack = lane === 'batch' ? await this.batchSlot(job.opts.priority ?? 0) : await this.slots.take(lane, job.opts.priority ?? 0)
    if (this.down || this.closing) {
      // Marked down or closing while it waited for a slot: it runs elsewhere, no try spent.
      giveBack()
      await this.dispatcher.handOff(this.id, job.id!, parsed.data)
      return
    }
    try {
      await this.run(job, parsed.data, signal)
    } finally {
      giveBack()
    }
  }

  /**
   * A slot for a batch prompt, taken only while no customer's prompt waits in this replica's other
   * queues: one that frees the moment a customer's prompt ends is not the batch's before the
   * next customer prompt is fetched.
   */
  private async batchSlot(priority: number): Promise<() => void> {
    for (;;) {
      const giveBack = await this.slots.take('batch', priority)
      const waiting = await Promise.all(
        lanes
          .filter((lane) => lane !== 'batch')
          .map((lane) => this.dispatcher.queue(replicaQueueName(this.id, lane)).getJobCountByTypes('waiting', 'prioritized')),
      )
      if (waiting.every((count) => count === 0) || this.closing) return giveBack
      giveBack()
      await new Promise((resolve) => setTimeout(resolve, batchRecheckMs))
    }
  }

  private async run(job: Job<PromptJob>, data: PromptJob, signal?: AbortSignal): Promise<void> {
    const jobId = job.id!
    const streamId = replyStreamId(jobId)
    const log = this.options.logger.child({ jobId, replicaId: this.id })
    const labels = { replica: this.id }
    const started = Date.now()
    const observe = (name: Parameters<PoolMetrics['observe']>[0], seconds: number) => this.metrics.observe(name, labels, seconds)
    observe('chorus_queue_wait_seconds', Math.max(0, started - data.enqueuedAt) / 1000)

    const abort = new AbortController()
    signal?.addEventListener('abort', () => abort.abort(signal.reason), { once: true })
    this.running.set(streamId, abort)
    const total = setTimeout(() => abort.abort(new EngineError('generation timed out', true)), this.options.generationTimeoutMs ?? 120_000)
    let firstToken: NodeJS.Timeout | undefined
    const publisher = data.replyStream ? new ReplyPublisher(this.redis, this.options.keys.reply(streamId)) : unreadReply
    let prepared: PreparedPrompt<Context> | null = null
    try {
      if (await this.wasCancelled(streamId)) throw new Cancelled('cancelled before it started')
      prepared = await hook(() => this.options.prepare(data, this.options.engine))
      if (!prepared) {
        log.debug('nothing left to answer')
        return
      }
      // From here on it is the replica's time: a slow database while preparing is not a hung replica.
      firstToken = setTimeout(
        () => abort.abort(new EngineError('no first token in time: the replica looks hung', true)),
        this.options.firstTokenTimeoutMs ?? 30_000,
      )
      const onChunk = (chunk: GenerateChunk) => {
        if (firstToken) {
          clearTimeout(firstToken)
          firstToken = undefined
          observe('chorus_time_to_first_token_seconds', (Date.now() - started) / 1000)
        }
        // A tool loop's steps that only call tools write no text, but they are the replica's answer starting.
        if (chunk.text || chunk.choices) publisher.delta(chunk.text, chunk.choices)
      }
      const request: GenerateRequest = {
        messages: prepared.messages,
        maxTokens: data.maxTokens,
        temperature: data.temperature,
        ...(data.openai ? { openai: data.openai } : {}),
        signal: abort.signal,
        ...prepared.engine,
      }
      const result: GenerateResult =
        prepared.answer !== undefined
          ? { text: prepared.answer, promptTokens: 0, completionTokens: 0, finishReason: 'stop' }
          : prepared.generate
            ? await prepared.generate(this.options.engine, request, onChunk)
            : await this.options.engine.generate(request, onChunk)
      if (prepared.answer !== undefined) onChunk({ text: prepared.answer })
      const appended = (await hook(() => this.options.onComplete(data, prepared!, result)))?.appended ?? ''
      if (appended) publisher.delta(appended)
      // Redis away when the answer is done says nothing about the replica either.
      await hook(() =>
        publisher.finish({
          type: 'done',
          text: result.text + appended,
          promptTokens: result.promptTokens,
          completionTokens: result.completionTokens,
          finishReason: result.finishReason,
          ...(result.cited ? { cited: result.cited } : {}),
          ...(result.choices ? { choices: result.choices } : {}),
          ...(result.toolCalls ? { toolCalls: result.toolCalls } : {}),
        }),
      )
      const ms = Date.now() - started
      this.serviceMs = this.serviceMs === 0 ? ms : this.serviceMs * 0.8 + ms * 0.2
      this.consecutiveErrors = 0
      this.metrics.count('chorus_prompts_total', { ...labels, outcome: 'completed' })
      this.metrics.count('chorus_completion_tokens_total', labels, result.completionTokens)
      this.metrics.observe('chorus_generation_seconds', labels, ms / 1000)
      log.info({ ms, tokens: result.completionTokens }, 'prompt answered')
    } catch (caught) {
      // A hook's own failure (the database, Redis) is the cause, even if a timer fired meanwhile.
      const reason = abort.signal.aborted && !(caught instanceof HookFailed) ? abort.signal.reason : caught
      await this.handleFailure(job, data, prepared, reason instanceof Error ? reason : new Error(String(reason)), publisher, log)
    } finally {
      clearTimeout(total)
      clearTimeout(firstToken)
      this.running.delete(streamId)
      await this.dispatcher.release(jobId, data).catch(() => undefined)
    }
  }

  private async handleFailure(
    job: Job<PromptJob>,
    data: PromptJob,
    prepared: PreparedPrompt<Context> | null,
    error: Error,
    publisher: ReplySink,
    log: Logger,
  ): Promise<void> {
    const labels = { replica: this.id }
    if (error instanceof Cancelled) {
      await publisher.finish({ type: 'error', code: 'cancelled', message: 'the request was cancelled' })
      this.metrics.count('chorus_prompts_total', { ...labels, outcome: 'cancelled' })
      log.info('prompt cancelled')
      return
    }
    if (error instanceof RequestRefused) {
      // The request's fault, not the replica's: no retry, and it counts for nothing against the replica.
      await this.options.onFailure(data, prepared, error)
      await publisher.finish({ type: 'error', code: error.code, message: error.message, param: error.param })
      this.metrics.count('chorus_prompts_total', { ...labels, outcome: 'refused' })
      log.info({ param: error.param }, 'prompt refused by the engine')
      return
    }
    const retryable = !(error instanceof EngineError) || error.retryable
    // A prompt that could not be prepared or stored (the database restarting) says nothing about
    // the replica. Should even its failure notice not be stored, the question stays queued in
    // PostgreSQL, and the recovery sweep queues it again.
    if (!(error instanceof HookFailed)) this.consecutiveErrors++
    log.warn({ err: error.message, attempt: data.attempt, retryable }, 'prompt failed on this replica')
    if (this.consecutiveErrors >= (this.options.downAfterErrors ?? 3)) await this.markDown()
    if (retryable && data.attempt + 1 < (this.options.maxAttempts ?? 3)) {
      await publisher.finish({ type: 'retry' })
      const next: PromptJob = { ...data, attempt: data.attempt + 1, avoidReplicas: [...data.avoidReplicas, this.id].slice(-10) }
      // A new id for the new try (this job still holds its own until it completes), derived from
      // this job's: a second failure handling of it adds nothing, and no earlier chain's id is reused.
      await this.dispatcher.dispatch(`${job.id!}~${next.attempt}`, next, { force: true })
      this.metrics.count('chorus_prompts_total', { ...labels, outcome: 'retried' })
      return
    }
    await this.options.onFailure(data, prepared, error)
    await publisher.finish({ type: 'error', code: 'inference_failed', message: 'the model could not answer' })
    this.metrics.count('chorus_prompts_total', { ...labels, outcome: 'failed' })
  }
}
