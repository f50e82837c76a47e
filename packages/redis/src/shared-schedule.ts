import { Queue, Worker } from 'bullmq'
import { Cluster, Redis } from 'ioredis'
import { connectRedis, duplicateRedis, type RedisClient, type RedisTarget } from './connect.js'
import { Periodic } from './periodic.js'

export interface SharedScheduleOptions {
  /** Where Redis is, or a connection to duplicate (the schedule's worker needs one of its own). */
  redis: RedisClient | RedisTarget | string
  /** BullMQ's key prefix (the deployment's). */
  prefix: string
  /** The work's name: every process that registers the same name shares its runs. */
  name: string
  everyMs: number
  work: () => Promise<unknown>
  onError: (error: Error) => void
}

/**
 * Work that must run every `everyMs` somewhere, not in every process (a sweep for dead replicas,
 * for work Redis lost): a BullMQ job scheduler makes one job per interval, and whichever process
 * that registered the work is free takes it. Each process that registers it runs a BullMQ worker
 * on the work's own queue (one run at a time in it); a process that dies mid-run leaves its job
 * to BullMQ's stalled-job recovery. Redis restarted without its data loses the schedule: each
 * process puts it back when it reconnects, and every few intervals in any case.
 */
export class SharedSchedule {
  /** The worker's (BullMQ's workers retry for ever), and the schedule's own (a command fails after a few tries: stopping never waits on Redis). */
  private readonly connection: RedisClient
  private readonly producer: RedisClient
  private readonly queue: Queue
  private readonly worker: Worker
  private readonly keeper: Periodic

  constructor(private readonly options: SharedScheduleOptions) {
    const connect = (settings: { blocking: boolean; name: string }) =>
      options.redis instanceof Redis || options.redis instanceof Cluster
        ? duplicateRedis(options.redis, settings)
        : connectRedis(options.redis, settings)
    this.connection = connect({ blocking: true, name: `chorus-schedule-${options.name}` })
    this.producer = connect({ blocking: false, name: `chorus-schedule-${options.name}-producer` })
    // The name in braces: the queue's keys share one slot on a Redis Cluster.
    const queueName = `{schedule-${options.name}}`
    this.queue = new Queue(queueName, { connection: this.producer, prefix: options.prefix })
    this.worker = new Worker(queueName, () => options.work(), {
      connection: this.connection,
      prefix: options.prefix,
      concurrency: 1,
      autorun: false,
    })
    this.worker.on('failed', (_job, error) => options.onError(error))
    this.worker.on('error', (error) => options.onError(error))
    this.keeper = new Periodic(() => this.ensureScheduled(), {
      everyMs: Math.min(60_000, Math.max(10_000, 5 * options.everyMs)),
      onError: (error) => options.onError(error instanceof Error ? error : new Error(String(error))),
    })
  }

  async start(): Promise<void> {
    await this.ensureScheduled()
    this.producer.on('ready', () => void this.keeper.run())
    this.keeper.start()
    void this.worker.run()
    await this.worker.waitUntilReady()
  }

  /** Stops taking runs here (a run under way finishes first); the others keep the schedule going. */
  async stop(): Promise<void> {
    await this.keeper.stop()
    await this.worker.close()
    await this.queue.close()
    this.connection.disconnect()
    this.producer.disconnect()
  }

  /** The same id from every process: one schedule, updated rather than doubled. */
  private async ensureScheduled(): Promise<void> {
    await this.queue.upsertJobScheduler(
      this.options.name,
      { every: this.options.everyMs },
      { name: this.options.name, opts: { removeOnComplete: true, removeOnFail: 100 } },
    )
  }
}
