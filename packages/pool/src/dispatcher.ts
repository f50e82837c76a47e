import { Queue, type JobsOptions } from 'bullmq'
import { Cluster } from 'ioredis'
import type { Logger } from 'pino'
import { promptJob, type PromptJob, type PromptJobInput } from '@chorus/protocol'
import { fairPriority } from './fairness.js'
import { lanes, replicaQueueName, unroutedQueueName, type Lane, type PoolKeys } from './keys.js'
import { PoolBusy } from './pool-busy.js'
import { PoolMetrics } from './pool-metrics.js'
import { ReplicaRegistry, replicaLivenessMs, type ReplicaStatus } from './replica-registry.js'
import { duplicateRedis, redisScript, TurnPipeline, withRedisLock, type RedisClient } from '@chorus/redis'
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
  /** How long replicas' loads read from their heartbeats are used before being read again (default 500 ms). */
  loadsMaxAgeMs?: number
  logger?: Logger
}

const jobOptions: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600, count: 10_000 },
}
const affinityTtlSeconds = 1800
/** How long a dispatcher uses the replicas' states and loads it read before reading them again. */
export const defaultLoadsMaxAgeMs = 500
/** A conversation keeps its lane this long after its last prompt (longer than a generation may take). */
const laneTtlMs = 10 * 60_000

// KEYS: the fairness set, the conversation's replica, the conversation's lane (one hash tag).
// ARGV: now, fairness window (ms), job id, replica expiry (s), lane expiry (ms), 1 if a conversation,
// the replica proposed for a conversation that has none ('' for none).
// Returns {others pending, the conversation's replica or nil, the lane, 1 if the proposed one was written}.
const countAndRoute = redisScript(
  'chorusCountAndRoute',
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[3])
local pending = redis.call('ZCARD', KEYS[1]) - 1
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local lane = pending == 0 and 'fresh' or 'main'
local sticky = false
local proposed = 0
if ARGV[6] == '1' then
  sticky = redis.call('GETEX', KEYS[2], 'EX', ARGV[4])
  if not sticky and ARGV[7] ~= '' then
    redis.call('SET', KEYS[2], ARGV[7], 'EX', ARGV[4])
    proposed = 1
  end
  local kept = redis.call('GET', KEYS[3])
  if kept then lane = kept end
  redis.call('SET', KEYS[3], lane, 'PX', ARGV[5])
end
return {pending, sticky, lane, proposed}
`,
  3,
)

/** A fairness key's prompts count against it for at most this long (a prompt Redis lost stops counting). */
const fairnessWindowMs = 3600_000
/** How long a cancellation stays in the log workers read when they (re)subscribe. */
export const cancellationsKeptMs = 3600_000

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
  private bullConnection: RedisClient | undefined
  private rotation = 0
  /** The live replicas as their last heartbeats reported them, read at most every `loadsMaxAgeMs`. */
  private loads: { readAt: number; replicas: Promise<ReplicaStatus[]> } | undefined
  /** Prompts this dispatcher queued on each replica since `loads` was read (or since it counted them). */
  private readonly addedSinceRead = new Map<string, number>()
  /** A replica's load counted on its queues since `loads` was read. */
  private readonly countedSinceRead = new Map<string, number>()
  /** Replicas whose prompts are being moved off: nothing goes to them meanwhile. */
  private readonly leaving = new Set<string>()
  /** The prompts that leave their fairness sets in one turn of the event loop, in one pipeline. */
  private readonly releases: TurnPipeline

  constructor(
    private readonly redis: RedisClient,
    readonly keys: PoolKeys,
    private readonly options: DispatcherOptions,
  ) {
    this.registry = new ReplicaRegistry(redis, keys)
    this.metrics = new PoolMetrics(redis, keys, (error) => this.options.logger?.warn({ err: error }, 'pool metrics not added'))
    this.releases = new TurnPipeline(redis)
  }

  queue(name: string): Queue<PromptJob> {
    let queue = this.queues.get(name)
    if (!queue) {
      // On a connection of their own: BullMQ defines its many scripts on the connection it gets,
      // and ioredis copies them into every MULTI and pipeline later made on that connection.
      this.bullConnection ??= duplicateRedis(this.redis, { name: 'chorus-queues' })
      queue = new Queue<PromptJob>(name, { connection: this.bullConnection, prefix: this.keys.bullPrefix })
      this.queues.set(name, queue)
    }
    return queue
  }

  /**
   * Live replicas able to take prompts for `model`, with their load (running + queued): as their
   * heartbeats last reported it, plus what this dispatcher queued since. Read from Redis at most
   * every `loadsMaxAgeMs`, so a dispatch costs the same however many replicas there are.
   */
  async candidates(model: string, avoid: string[] = []): Promise<ReplicaStatus[]> {
    const live = (await this.knownReplicas()).filter((r) => !r.down && !this.leaving.has(r.id) && (!model || r.model === model))
    const withLoad = live.map((r) => ({ ...r, load: (this.countedSinceRead.get(r.id) ?? r.load) + (this.addedSinceRead.get(r.id) ?? 0) }))
    const allowed = withLoad.filter((r) => !avoid.includes(r.id))
    // A prompt every replica failed still goes somewhere rather than nowhere.
    return allowed.length > 0 ? allowed : withLoad
  }

  /** The models live replicas serve (up or down), as the registry was last read (at most `loadsMaxAgeMs` ago). */
  async servedModels(): Promise<string[]> {
    return [...new Set((await this.knownReplicas()).map((r) => r.model))].sort()
  }

  /**
   * The replicas as their heartbeats last reported them (read again when older than
   * `loadsMaxAgeMs`), less those whose heartbeat has grown too old since.
   */
  private async knownReplicas(): Promise<ReplicaStatus[]> {
    const now = Date.now()
    if (!this.loads || now - this.loads.readAt > (this.options.loadsMaxAgeMs ?? defaultLoadsMaxAgeMs)) {
      const replicas = this.registry.live()
      this.loads = { readAt: now, replicas }
      this.addedSinceRead.clear()
      this.countedSinceRead.clear()
      replicas.catch(() => (this.loads = undefined))
    }
    return (await this.loads.replicas).filter((r) => now - r.lastSeen < replicaLivenessMs)
  }

  /**
   * Queues a prompt under `jobId` (the same id again is a no-op). Throws PoolBusy when the wait
   * would exceed the bound; `force` skips that check (for prompts already admitted once).
   */
  async dispatch(jobId: string, input: PromptJobInput, options: { force?: boolean } = {}): Promise<DispatchResult> {
    const data = promptJob.parse(input)
    const { conversationKey, fairnessKey, priorityClass } = data.routing
    const replicas = await this.candidates(data.model, data.avoidReplicas)
    // Counted before the priority is set, so prompts of a key dispatched at once each see those
    // ahead of them; given back below unless the prompt is queued.
    // A conversation new to the pool is written to the replica it would go to, in the same round
    // trip: only a conversation that moves needs another write.
    const proposed = replicas.length > 0 ? chooseReplica(replicas, null, false)!.id : undefined
    const routed = await this.routingState(jobId, data.routing, proposed)
    const { pending, sticky, written } = routed
    // Work no customer waits for has a lane of its own: it never holds up the others' queues.
    const lane: Lane = priorityClass === 'batch' ? 'batch' : routed.lane
    const priority = fairPriority(priorityClass, pending)
    try {
      if (replicas.length === 0) {
        await this.queue(unroutedQueueName).add('prompt', data, { ...jobOptions, jobId, priority })
        return { jobId, replicaId: null, deduplicated: false, estimatedWaitMs: 0 }
      }
      const stickyInFlight =
        sticky !== null && conversationKey !== undefined && replicas.some((r) => r.id === sticky)
          ? Boolean(await this.queue(replicaQueueName(sticky, lane)).getDeduplicationJobId(conversationKey))
          : false
      const home = sticky && !stickyInFlight ? replicas.find((r) => r.id === sticky) : undefined
      if (home && home.load >= home.capacity && (this.addedSinceRead.get(home.id) ?? 0) > 0) {
        // Full only by this dispatcher's count, which never sees prompts finish: its queues say.
        home.load = await this.countLoad(home.id)
      }
      const target =
        this.options.routing === 'round-robin' && !stickyInFlight
          ? [...replicas].sort((a, b) => a.id.localeCompare(b.id))[this.rotation++ % replicas.length]!
          : chooseReplica(replicas, sticky, stickyInFlight)!
      const estimatedWaitMs = estimateWaitMs(target)
      if (!options.force && !stickyInFlight && estimatedWaitMs > this.options.maxQueueWaitMs) {
        this.metrics.count('chorus_rejections_total', { reason: 'busy' })
        throw new PoolBusy(Math.max(1, Math.ceil((estimatedWaitMs - this.options.maxQueueWaitMs) / 1000)), estimatedWaitMs)
      }
      const job = await this.queue(replicaQueueName(target.id, lane)).add('prompt', data, {
        ...jobOptions,
        jobId,
        priority,
        // One prompt of a conversation at a time; while one runs, the newest waits behind it.
        ...(conversationKey ? { deduplication: { id: conversationKey, keepLastIfActive: true } } : {}),
      })
      const deduplicated = job.id !== jobId
      // Dropped, or kept by BullMQ to run once its conversation's running prompt ends: either way
      // it does not count meanwhile (at most one such per conversation), and releasing it again
      // when it ends changes nothing.
      if (deduplicated) await this.release(jobId, data)
      else this.addedSinceRead.set(target.id, (this.addedSinceRead.get(target.id) ?? 0) + 1)
      // Read with a fresh expiry above (or written as proposed), so written only when the conversation moves.
      if (conversationKey && (written ?? sticky) !== target.id) {
        await this.redis.set(this.keys.affinity(conversationKey, fairnessKey), target.id, 'EX', affinityTtlSeconds)
      }
      this.options.logger?.debug({ jobId, replicaId: target.id, lane, priority, deduplicated }, 'prompt dispatched')
      return { jobId, replicaId: target.id, deduplicated, estimatedWaitMs }
    } catch (error) {
      // Not queued (refused as too busy, or Redis failed midway): it no longer counts.
      await this.release(jobId, data).catch(() => undefined)
      throw error
    }
  }

  /** The prompts on a replica's queues now, every lane, running and waiting. */
  async queuedOn(replicaId: string): Promise<number> {
    const counts = await Promise.all(
      lanes.map((lane) => this.queue(replicaQueueName(replicaId, lane)).getJobCounts('active', 'waiting', 'prioritized', 'delayed')),
    )
    return counts.flatMap((lane) => Object.values(lane)).reduce((a, b) => a + b, 0)
  }

  /** A replica's load counted on its queues, kept as its load until the next read of the registry. */
  private async countLoad(replicaId: string): Promise<number> {
    const load = await this.queuedOn(replicaId)
    this.countedSinceRead.set(replicaId, load)
    this.addedSinceRead.delete(replicaId)
    return load
  }

  /**
   * In one round trip, atomically (the keys share the fairness key's hash tag): counts prompt
   * `jobId` against its fairness key, returning how many other prompts of the key are pending;
   * reads the replica its conversation last went to (renewing that for another half hour), or
   * for a conversation with none writes `proposed` (`written` says so); and gives the lane. The fairness key is a set of job ids, so counting the same prompt again
   * (re-queued off a dead replica, say) or giving it back twice changes nothing; ids older than
   * the window drop out. A conversation keeps the lane it was given while it has prompts coming
   * (its prompts stay on one queue, in order, even when two are dispatched at once).
   */
  private async routingState(
    jobId: string,
    { fairnessKey, conversationKey }: PromptJob['routing'],
    proposed: string | undefined,
  ): Promise<{ pending: number; sticky: string | null; lane: Lane; written?: string }> {
    if (!fairnessKey) {
      const sticky = conversationKey ? await this.redis.getex(this.keys.affinity(conversationKey), 'EX', affinityTtlSeconds) : null
      return { pending: 0, sticky, lane: 'main' }
    }
    const fairness = this.keys.fairness(fairnessKey)
    const [pending, sticky, lane, written] = (await countAndRoute(
      this.redis,
      fairness,
      conversationKey ? this.keys.affinity(conversationKey, fairnessKey) : fairness,
      conversationKey ? this.keys.conversationLane(conversationKey, fairnessKey) : fairness,
      Date.now(),
      fairnessWindowMs,
      jobId,
      affinityTtlSeconds,
      laneTtlMs,
      conversationKey ? 1 : 0,
      proposed ?? '',
    )) as [number, string | null, Lane, number]
    return { pending, sticky, lane, ...(written === 1 ? { written: proposed } : {}) }
  }

  /** Called when prompt `jobId` ends (any outcome) or is not queued: it no longer counts against its fairness key. */
  async release(jobId: string, data: PromptJob): Promise<void> {
    const key = data.routing.fairnessKey
    if (!key) return
    // A Redis Cluster pipeline holds one slot's keys, and fairness sets are spread over slots.
    if (this.redis instanceof Cluster) {
      await this.redis.zrem(this.keys.fairness(key), jobId)
      return
    }
    // On one server, the prompts that end in one turn leave their sets in one pipeline.
    await this.releases.send((pipeline) => pipeline.zrem(this.keys.fairness(key), jobId))
  }

  /** The prompts counted against fairness key `key` (tests and diagnostics). */
  pendingOf(fairnessKey: string): Promise<string[]> {
    return this.redis.zrange(this.keys.fairness(fairnessKey), 0, -1)
  }

  /**
   * Whether the pool still holds a prompt of conversation `conversationKey`, waiting or running,
   * on any replica's queue — live or dead (the janitor moves a dead one's) — or unrouted (a first
   * try, a retry or a re-queue alike). False after Redis lost it (a restart without persistence).
   */
  async hasPrompt(conversationKey: string): Promise<boolean> {
    const pending = (state: string) => !['completed', 'failed', 'unknown'].includes(state)
    for (const replicaId of await this.redis.zrange(this.keys.replicas, 0, -1)) {
      for (const lane of lanes) {
        const queue = this.queue(replicaQueueName(replicaId, lane))
        const held = await queue.getDeduplicationJobId(conversationKey)
        if (held && pending(await queue.getJobState(held))) return true
      }
    }
    // Few wait unrouted (only while no replica serves their model), so they are simply looked through.
    const unrouted = await this.queue(unroutedQueueName).getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, 5000)
    return unrouted.some((job) => promptJob.safeParse(job?.data).data?.routing.conversationKey === conversationKey)
  }

  /** Stops `jobId`: a queued prompt will not run, a running one is aborted (freeing the replica's slot). */
  async cancel(jobId: string): Promise<void> {
    // Logged for workers that subscribe later, and told to those listening, at once (MULTI): a
    // worker subscribed before this runs hears it, one subscribing after reads it in the log.
    const now = Date.now()
    await this.redis
      .multi()
      .zadd(this.keys.cancellations, now, jobId)
      .zremrangebyscore(this.keys.cancellations, '-inf', now - cancellationsKeptMs)
      .publish(this.keys.cancel, jobId)
      .exec()
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
    const moved = await withRedisLock(this.redis, this.keys.rescueLock(replicaId), 30_000, () =>
      this.awayFrom(replicaId, async () => {
        const names = replicaId === '' ? [unroutedQueueName] : lanes.map((lane) => replicaQueueName(replicaId, lane))
        const states = options.includeActive
          ? (['active', 'waiting', 'prioritized', 'delayed'] as const)
          : (['waiting', 'prioritized', 'delayed'] as const)
        let moved = 0
        // A conversation's replica is forgotten once: its later prompts follow its first one.
        const rerouted = new Set<string>()
        for (const name of names) moved += await this.moveAll(this.queue(name), replicaId, states, options.includeActive, rerouted)
        if (options.removeReplica) {
          for (const name of names) {
            await this.queue(name)
              .obliterate({ force: true })
              .catch(() => undefined)
            await this.queue(name).close()
            this.queues.delete(name)
          }
          await this.registry.remove(replicaId)
        }
        if (moved > 0) this.options.logger?.warn({ replicaId, moved }, 'moved prompts off a replica')
        return moved
      }),
    )
    return moved ?? 0
  }

  /**
   * Runs `work` (which queues prompts again) while nothing may go to `replicaId`, a closing one
   * included (it still looks live), with the loads read again (it may have just been marked down).
   */
  private async awayFrom<T>(replicaId: string, work: () => Promise<T>): Promise<T> {
    this.leaving.add(replicaId)
    this.loads = undefined
    try {
      return await work()
    } finally {
      this.leaving.delete(replicaId)
    }
  }

  /** Queues again, elsewhere, every prompt of `queue` in `states`; returns how many. */
  private async moveAll(
    queue: Queue<PromptJob>,
    replicaId: string,
    states: ReadonlyArray<'active' | 'waiting' | 'prioritized' | 'delayed'>,
    includeActive: boolean,
    rerouted: Set<string>,
  ): Promise<number> {
    const jobs = await queue.getJobs([...states], 0, 10_000, true)
    let moved = 0
    for (const job of jobs) {
      if (!job?.id) continue
      const parsed = promptJob.safeParse(job.data)
      if (!parsed.success) continue
      const wasActive = includeActive && (await job.isActive())
      if (!includeActive) await job.remove().catch(() => undefined)
      const next: PromptJob = {
        ...parsed.data,
        attempt: parsed.data.attempt + (wasActive ? 1 : 0),
        avoidReplicas: replicaId ? [...parsed.data.avoidReplicas, replicaId].slice(-10) : parsed.data.avoidReplicas,
      }
      if (wasActive && next.replyStream) {
        await this.redis.xadd(this.keys.reply(replyStreamId(job.id)), 'MAXLEN', '~', '10000', '*', 'e', JSON.stringify({ type: 'retry' }))
      }
      const { conversationKey, fairnessKey } = next.routing
      if (conversationKey && !rerouted.has(conversationKey)) {
        rerouted.add(conversationKey)
        await this.redis.del(this.keys.affinity(conversationKey, fairnessKey))
      }
      await this.dispatch(job.id, next, { force: true })
      moved++
    }
    return moved
  }

  /**
   * Queues again elsewhere a prompt replica `replicaId` took but will not run (it was marked down,
   * or is closing), as `<job>~0`: the job it leaves completes under its own id, which BullMQ keeps
   * (queued again there under that id, it would not run). Its reply stream stays the same.
   */
  async handOff(replicaId: string, jobId: string, data: PromptJob): Promise<void> {
    await this.awayFrom(replicaId, () =>
      this.dispatch(`${jobId}~0`, { ...data, avoidReplicas: [...data.avoidReplicas, replicaId].slice(-10) }, { force: true }),
    )
    await this.release(jobId, data)
  }

  async close(): Promise<void> {
    await this.metrics.flush()
    await Promise.all([...this.queues.values()].map((q) => q.close()))
    this.queues.clear()
    this.bullConnection?.disconnect()
    this.bullConnection = undefined
  }
}
