import { Queue, Worker } from 'bullmq'
import { Cluster, Redis } from 'ioredis'
import { connectRedis, duplicateRedis, type RedisClient, type RedisTarget } from './connect.js'

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
 * to BullMQ's stalled-job recovery.
 */
export class SharedSchedule {
  private readonly connection: RedisClient
  private readonly queue: Queue
  private readonly worker: Worker

  constructor(private readonly options: SharedScheduleOptions) {
    const connection = { blocking: true, name: `chorus-schedule-${options.name}` }
    this.connection =
      options.redis instanceof Redis || options.redis instanceof Cluster
        ? duplicateRedis(options.redis, connection)
        : connectRedis(options.redis, connection)
    // The name in braces: the queue's keys share one slot on a Redis Cluster.
    const queueName = `{schedule-${options.name}}`
    this.queue = new Queue(queueName, { connection: this.connection, prefix: options.prefix })
    this.worker = new Worker(queueName, () => options.work(), {
      connection: this.connection,
      prefix: options.prefix,
      concurrency: 1,
      autorun: false,
    })
    this.worker.on('failed', (_job, error) => options.onError(error))
    this.worker.on('error', (error) => options.onError(error))
  }

  async start(): Promise<void> {
    // The same id from every process: one schedule, updated rather than doubled.
    await this.queue.upsertJobScheduler(
      this.options.name,
      { every: this.options.everyMs },
      { name: this.options.name, opts: { removeOnComplete: true, removeOnFail: 100 } },
    )
    void this.worker.run()
    await this.worker.waitUntilReady()
  }

  /** Stops taking runs here (a run under way finishes first); the others keep the schedule going. */
  async stop(): Promise<void> {
    await this.worker.close()
    await this.queue.close()
    this.connection.disconnect()
  }
}
