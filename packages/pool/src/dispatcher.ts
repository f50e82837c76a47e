import { Queue, type JobsOptions } from 'bullmq'
import type { Logger } from 'pino'
import { promptJob, type PromptJob, type PromptJobInput } from '@chorus/protocol'
import { fairPriority } from './fairness.js'
import { replicaQueueName, unroutedQueueName, type RedisKeys } from './keys.js'
import { PoolBusy } from './pool-busy.js'
import { PoolMetrics } from './pool-metrics.js'
import type { Redis } from './redis.js'
import { ReplicaRegistry, type ReplicaStatus } from './replica-registry.js'
import { withRedisLock } from './redis-lock.js'
import { replyStreamId } from './reply-stream.js'

export interface DispatchResult {
  jobId: string
  /** Null while no replica is live: the prompt waits in the unrouted queue. */
  replicaId: string | null
  /** A prompt of the same conversation was already waiting; that one will answer the latest state. */
  deduplicated: boolean
  estimatedWaitMs: number
}

export interface DispatcherOptions {
  /** Refuse new prompts whose estimated queue wait exceeds this. */
  maxQueueWaitMs: number
  /** How a conversation's next prompt picks a replica: back to the one holding its prefix cache (default), or the next in turn (a baseline for benchmarks). */
  routing?: 'affinity' | 'round-robin'
  logger?: Logger
}

const jobOptions: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600, count: 10_000 },
}
const affinityTtlSeconds = 1800

/** A replica's prompts beyond its capacity wait; this estimates how long a new one would. */
export function estimateWaitMs(replica: Pick<ReplicaStatus, 'load' | 'capacity' | 'serviceMs'>): number {
  const ahead = replica.load + 1 - replica.capacity
  if (ahead <= 0) return 0
  return Math.ceil(ahead / replica.capacity) * replica.serviceMs
}

/**
 * Picks the replica for a prompt: the one that served its conversation last (prefix-cache
 * reuse) unless that one is saturated — or always, while the conversation has a prompt in
 * flight there, to keep its order — otherwise the least loaded.
 */
export function chooseReplica(replicas: ReplicaStatus[], sticky: string | null, stickyInFlight: boolean): ReplicaStatus | undefined {
  const preferred = sticky ? replicas.find((r) => r.id === sticky) : undefined
  if (preferred && (stickyInFlight || preferred.load < preferred.capacity)) return preferred
  let best: ReplicaStatus | undefined
  for (const replica of replicas) {
    if (!best || replica.load / replica.capacity < best.load / best.capacity) best = replica
  }
  return best
}

/** The producer side of the worker pool: routes, orders and admits prompts. */
export class Dispatcher {
  readonly registry: ReplicaRegistry
  private readonly metrics: PoolMetrics
  private readonly queues = new Map<string, Queue<PromptJob>>()
  private rotation = 0

  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
    private readonly options: DispatcherOptions,
  ) {
    this.registry = new ReplicaRegistry(redis, keys)
    this.metrics = new PoolMetrics(redis, keys, (error) => this.options.logger?.warn({ err: error }, 'pool metrics not added'))
  }

  queue(name: string): Queue<PromptJob> {
    let queue = this.queues.get(name)
    if (!queue) {
      queue = new Queue<PromptJob>(name, { connection: this.redis, prefix: this.keys.bullPrefix })
      this.queues.set(name, queue)
    }
    return queue
  }

  /** Live replicas able to take prompts for `model`, with their load (running + queued). */
  async candidates(model: string, avoid: string[] = []): Promise<ReplicaStatus[]> {
    const live = (await this.registry.live()).filter((r) => !r.down && (!model || r.model === model))
    const counts = await Promise.all(
      live.map((r) => this.queue(replicaQueueName(r.id)).getJobCounts('active', 'waiting', 'prioritized', 'delayed')),
    )
    const withLoad = live.map((r, i) => ({ ...r, load: Object.values(counts[i]!).reduce((a, b) => a + b, 0) }))
    const allowed = withLoad.filter((r) => !avoid.includes(r.id))
    // A prompt every replica failed still goes somewhere rather than nowhere.
    return allowed.length > 0 ? allowed : withLoad
  }

  /**
   * Queues a prompt under `jobId` (the same id again is a no-op). Throws PoolBusy when the wait
   * would exceed the bound; `force` skips that check (for prompts already admitted once).
   */
  async dispatch(jobId: string, input: PromptJobInput, options: { force?: boolean } = {}): Promise<DispatchResult> {
    const data = promptJob.parse(input)
    const { conversationKey, fairnessKey, priorityClass } = data.routing
    const replicas = await this.candidates(data.model, data.avoidReplicas)
    // Counted (one INCR) before the priority is set, so prompts of a key dispatched at once each see
    // those ahead of them; given back below unless the prompt is queued on a replica.
    const pending = fairnessKey ? await this.countPending(fairnessKey) : 0
    const priority = fairPriority(priorityClass, pending)
    if (replicas.length === 0) {
      await this.finished(data)
      await this.queue(unroutedQueueName).add('prompt', data, { ...jobOptions, jobId, priority })
      return { jobId, replicaId: null, deduplicated: false, estimatedWaitMs: 0 }
    }
    const sticky = conversationKey ? await this.redis.get(this.keys.affinity(conversationKey)) : null
    const stickyInFlight =
      sticky !== null && conversationKey !== undefined && replicas.some((r) => r.id === sticky)
        ? Boolean(await this.queue(replicaQueueName(sticky)).getDeduplicationJobId(conversationKey))
        : false
    const target =
      this.options.routing === 'round-robin' && !stickyInFlight
        ? [...replicas].sort((a, b) => a.id.localeCompare(b.id))[this.rotation++ % replicas.length]!
        : chooseReplica(replicas, sticky, stickyInFlight)!
    const estimatedWaitMs = estimateWaitMs(target)
    if (!options.force && !stickyInFlight && estimatedWaitMs > this.options.maxQueueWaitMs) {
      await this.finished(data)
      this.metrics.count('chorus_rejections_total', { reason: 'busy' })
      throw new PoolBusy(Math.max(1, Math.ceil((estimatedWaitMs - this.options.maxQueueWaitMs) / 1000)), estimatedWaitMs)
    }
    const job = await this.queue(replicaQueueName(target.id))
      .add('prompt', data, {
        ...jobOptions,
        jobId,
        priority,
        // One prompt of a conversation at a time; while one runs, the newest waits behind it.
        ...(conversationKey ? { deduplication: { id: conversationKey, keepLastIfActive: true } } : {}),
      })
      .catch(async (error: unknown) => {
        await this.finished(data)
        throw error
      })
    const deduplicated = job.id !== jobId
    if (deduplicated) await this.finished(data)
    if (conversationKey) await this.redis.set(this.keys.affinity(conversationKey), target.id, 'EX', affinityTtlSeconds)
    this.options.logger?.debug({ jobId, replicaId: target.id, priority, deduplicated }, 'prompt dispatched')
    return { jobId, replicaId: target.id, deduplicated, estimatedWaitMs }
  }

  /** Counts a prompt against its fairness key; returns how many of the key's prompts were pending before it. */
  private async countPending(fairnessKey: string): Promise<number> {
    const key = this.keys.fairness(fairnessKey)
    const [counted] = (await this.redis.multi().incr(key).expire(key, 3600).exec()) ?? []
    return Math.max(0, Number(counted?.[1] ?? 1) - 1)
  }

  /** Called when a prompt finishes (any outcome): it no longer counts against its fairness key. */
  async finished(data: PromptJob): Promise<void> {
    const key = data.routing.fairnessKey
    if (!key) return
    const left = await this.redis.decr(this.keys.fairness(key))
    if (left < 0) await this.redis.set(this.keys.fairness(key), 0, 'KEEPTTL')
  }

  /**
   * Whether the pool still holds a prompt of conversation `conversationKey`, waiting or running,
   * on any replica's queue — live or dead (the janitor moves a dead one's) — or unrouted (a first
   * try, a retry or a re-queue alike). False after Redis lost it (a restart without persistence).
   */
  async hasPrompt(conversationKey: string): Promise<boolean> {
    const pending = (state: string) => !['completed', 'failed', 'unknown'].includes(state)
    for (const replicaId of await this.redis.zrange(this.keys.replicas, 0, -1)) {
      const queue = this.queue(replicaQueueName(replicaId))
      const held = await queue.getDeduplicationJobId(conversationKey)
      if (held && pending(await queue.getJobState(held))) return true
    }
    // Few wait unrouted (only while no replica serves their model), so they are simply looked through.
    const unrouted = await this.queue(unroutedQueueName).getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, 5000)
    return unrouted.some((job) => promptJob.safeParse(job?.data).data?.routing.conversationKey === conversationKey)
  }

  /** Stops `jobId`: a queued prompt will not run, a running one is aborted (freeing the replica's slot). */
  async cancel(jobId: string): Promise<void> {
    // A marker for a job that has not started yet, a message for one that is running.
    await this.redis.set(this.keys.cancelled(jobId), '1', 'EX', 3600)
    await this.redis.publish(this.keys.cancel, jobId)
  }

  /**
   * Aborts `jobId` if it is running; a queued one is left to run (its prompt may be built for a
   * newer message by then; the code preparing it decides whether anything is left to answer).
   */
  async abortRunning(jobId: string): Promise<void> {
    await this.redis.publish(this.keys.cancel, jobId)
  }

  /**
   * Moves every prompt of a replica that stopped (or was marked down) to live ones; a prompt
   * that was running there starts again elsewhere. Returns how many moved.
   */
  async rescue(replicaId: string, options: { includeActive: boolean; removeReplica: boolean }): Promise<number> {
    const moved = await withRedisLock(this.redis, this.keys.rescueLock(replicaId), 30_000, async () => {
      const name = replicaId === '' ? unroutedQueueName : replicaQueueName(replicaId)
      const queue = this.queue(name)
      const states = options.includeActive
        ? (['active', 'waiting', 'prioritized', 'delayed'] as const)
        : (['waiting', 'prioritized', 'delayed'] as const)
      const jobs = await queue.getJobs([...states], 0, 10_000, true)
      let moved = 0
      for (const job of jobs) {
        if (!job?.id) continue
        const parsed = promptJob.safeParse(job.data)
        if (!parsed.success) continue
        const wasActive = options.includeActive && (await job.isActive())
        if (!options.includeActive) await job.remove().catch(() => undefined)
        const next: PromptJob = {
          ...parsed.data,
          attempt: parsed.data.attempt + (wasActive ? 1 : 0),
          avoidReplicas: replicaId ? [...parsed.data.avoidReplicas, replicaId].slice(-10) : parsed.data.avoidReplicas,
        }
        if (wasActive && next.replyStream) {
          await this.redis.xadd(this.keys.reply(replyStreamId(job.id)), 'MAXLEN', '~', '10000', '*', 'e', JSON.stringify({ type: 'retry' }))
        }
        if (next.routing.conversationKey) await this.redis.del(this.keys.affinity(next.routing.conversationKey))
        await this.dispatch(job.id, next, { force: true })
        moved++
      }
      if (options.removeReplica) {
        await queue.obliterate({ force: true }).catch(() => undefined)
        await this.registry.remove(replicaId)
        await queue.close()
        this.queues.delete(name)
      }
      if (moved > 0) this.options.logger?.warn({ replicaId, moved }, 'moved prompts off a replica')
      return moved
    })
    return moved ?? 0
  }

  async close(): Promise<void> {
    await this.metrics.flush()
    await Promise.all([...this.queues.values()].map((q) => q.close()))
    this.queues.clear()
  }
}
