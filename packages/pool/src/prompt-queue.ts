import { Queue, type JobsOptions } from 'bullmq'
import { promptJob, type PromptJob, type PromptJobInput } from '@chorus/protocol'
import { promptQueueName, type RedisKeys } from './keys.js'
import type { Redis } from './redis.js'

/** Job priorities: lower runs first (BullMQ's convention). */
export const priorities = { agentAssist: 1, customerService: 2, privateChat: 3, groupChat: 5, api: 4 } as const

const defaultJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600, count: 10_000 },
}

/** The producer side of the worker pool: prompts go in, replies come back on a reply stream. */
export class PromptQueue {
  readonly queue: Queue<PromptJob>

  constructor(
    connection: Redis,
    readonly keys: RedisKeys,
  ) {
    this.queue = new Queue<PromptJob>(promptQueueName, { connection, prefix: keys.bullPrefix, defaultJobOptions })
  }

  /** Queues a prompt under `jobId`; queuing the same id again is a no-op. Returns the job id. */
  async enqueue(jobId: string, input: PromptJobInput, options: { priority?: number } = {}): Promise<string> {
    const data = promptJob.parse(input)
    await this.queue.add('prompt', data, { jobId, priority: options.priority })
    return jobId
  }

  /** Prompts waiting for a worker. */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed')
    return Object.values(counts).reduce((a, b) => a + b, 0)
  }

  async close(): Promise<void> {
    await this.queue.close()
  }
}
