import { pino } from 'pino'
import { textOf, type PromptJob } from '@chorus/protocol'
import { startSimulatorServer, type RunningSimulator, type SimulatorParams } from '@chorus/inference-simulator'
import { OpenAICompatibleEngine, type Engine } from '@chorus/llm'
import { Dispatcher, PoolWorker, type PoolWorkerOptions } from '@chorus/pool'
import { PoolKeys } from '@chorus/pool'
import { connectRedis, type RedisClient } from '@chorus/redis'
import { createTestRedisPrefix } from './test-redis.js'

/** What the harness saw happen to each prompt, in order. */
export interface PoolEvent {
  type: 'start' | 'complete' | 'failure'
  tag: string
  replica: string
  at: number
  text?: string
}

export interface HarnessReplica {
  id: string
  worker: PoolWorker
  simulator?: RunningSimulator
  stop(): Promise<void>
}

/**
 * A worker pool on a Redis prefix of the test's own, without a database: prompts are API-style
 * (they carry their messages) and are tagged by their first message so tests can follow them.
 */
export class PoolHarness {
  readonly events: PoolEvent[] = []
  readonly replicas: HarnessReplica[] = []
  private waiters: Array<() => void> = []

  private constructor(
    readonly redis: RedisClient,
    readonly keys: PoolKeys,
    readonly dispatcher: Dispatcher,
    private readonly cleanup: () => Promise<void>,
    readonly redisUrl: string,
  ) {}

  static async create(options: { maxQueueWaitMs?: number; loadsMaxAgeMs?: number } = {}): Promise<PoolHarness> {
    const prefix = await createTestRedisPrefix()
    const redis = connectRedis(prefix.url)
    const keys = new PoolKeys(prefix.prefix)
    const dispatcher = new Dispatcher(redis, keys, {
      maxQueueWaitMs: options.maxQueueWaitMs ?? 60_000,
      loadsMaxAgeMs: options.loadsMaxAgeMs,
    })
    return new PoolHarness(redis, keys, dispatcher, prefix.cleanup, prefix.url)
  }

  /** Adds a replica: a pool worker driving its own inference simulator (or the given engine). */
  async addReplica(
    id: string,
    options: { simulator?: Partial<SimulatorParams>; engine?: Engine; concurrency?: number; worker?: Partial<PoolWorkerOptions> } = {},
  ): Promise<HarnessReplica> {
    const simulator = options.engine ? undefined : await startSimulatorServer({ ttftMs: 5, itlMs: 2, replyTokens: 6, ...options.simulator })
    const engine = options.engine ?? new OpenAICompatibleEngine({ baseURL: `${simulator!.url}/v1`, model: 'chorus-simulator' })
    const tagOf = (job: PromptJob) => textOf(job.messages[0]?.content ?? '')
    const worker = new PoolWorker({
      redis: this.redisUrl,
      keys: this.keys,
      engine,
      concurrency: options.concurrency ?? 2,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      replicaId: id,
      prepare: async (job) => {
        this.record({ type: 'start', tag: tagOf(job), replica: id, at: Date.now() })
        return { messages: job.messages }
      },
      onComplete: async (job, _prepared, result) =>
        this.record({ type: 'complete', tag: tagOf(job), replica: id, at: Date.now(), text: result.text }),
      onFailure: async (job) => this.record({ type: 'failure', tag: tagOf(job), replica: id, at: Date.now() }),
      ...options.worker,
    })
    await worker.start()
    const replica: HarnessReplica = {
      id,
      worker,
      simulator,
      stop: async () => {
        await worker.close()
        await simulator?.close()
      },
    }
    this.replicas.push(replica)
    return replica
  }

  /** Registers a replica that is only a heartbeat, no worker: prompts routed to it wait there until moved. */
  async addSilentReplica(
    id: string,
    status: { capacity?: number; inFlight?: number; serviceMs?: number; load?: number } = {},
  ): Promise<void> {
    await this.dispatcher.registry.heartbeat({
      id,
      model: 'silent',
      engine: 'none',
      capacity: 4,
      inFlight: 0,
      down: false,
      serviceMs: 0,
      load: 0,
      ...status,
    })
  }

  /** Queues an API-style prompt whose first message is `tag`. */
  dispatch(tag: string, options: Partial<PromptJob['routing']> & { maxTokens?: number; jobId?: string; force?: boolean } = {}) {
    const { maxTokens, jobId, force, ...routing } = options
    return this.dispatcher.dispatch(
      jobId ?? `t-${tag}`,
      {
        origin: { kind: 'api', apiKeyId: 'test' },
        messages: [{ role: 'user', content: tag }],
        maxTokens: maxTokens ?? 6,
        enqueuedAt: Date.now(),
        routing: { priorityClass: 'api', ...routing },
      },
      { force },
    )
  }

  /** Resolves once `predicate` holds over the events seen so far. */
  async until(predicate: (events: PoolEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate(this.events)) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)
      const check = () => {
        if (!predicate(this.events)) return
        clearTimeout(timer)
        this.waiters = this.waiters.filter((w) => w !== check)
        resolve()
      }
      this.waiters.push(check)
    })
  }

  completed(tag: string): PoolEvent | undefined {
    return this.events.find((e) => e.type === 'complete' && e.tag === tag)
  }

  started(tag: string): PoolEvent | undefined {
    return this.events.find((e) => e.type === 'start' && e.tag === tag)
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.stop()))
    await this.dispatcher.close()
    this.redis.disconnect()
    await this.cleanup()
  }

  private record(event: PoolEvent): void {
    this.events.push(event)
    for (const waiter of [...this.waiters]) waiter()
  }
}
