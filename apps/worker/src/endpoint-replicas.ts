import type { Logger } from 'pino'
import type { Engine } from '@chorus/llm'
import type { PoolWorker } from '@chorus/pool'
import { Periodic, redisScript, releaseRedisLock, type KeySpace, type RedisClient } from '@chorus/redis'
import type { EndpointToDrive, ModelEndpointsRepository } from './model-endpoints.repository.js'

/** Held by the worker process that drives replica `index` of a model endpoint. */
function endpointSlotKey(keys: KeySpace, endpointId: string, index: number): string {
  return `${keys.prefix}:endpoint-slot:${endpointId}:${index}`
}

interface Slot {
  key: string
  fingerprint: string
  worker: PoolWorker
  engine: Engine
}

const claimTtlMs = 10_000

// Renews a claim only while this process still holds it.
const renewIfOwner = redisScript(
  'chorusRenewClaim',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
)

/**
 * Drives the model endpoints admins add in the panel: each endpoint has `replicas` slots, and
 * every worker process claims free slots (a Redis key with an expiry, renewed while it runs
 * them) and starts a pool worker for each. So across all worker processes each replica runs
 * once; a process that dies loses its claims and another takes them over. A changed endpoint
 * is restarted; a disabled or deleted one is stopped.
 */
export class EndpointReplicas {
  private readonly slots = new Map<string, Slot>()
  private readonly schedule: Periodic

  constructor(
    private readonly deps: {
      endpoints: ModelEndpointsRepository
      redis: RedisClient
      keys: KeySpace
      /** Who holds a claim: unique per process. */
      owner: string
      engineFor: (endpoint: EndpointToDrive) => Promise<Engine>
      workerFor: (engine: Engine, options: { replicaId: string; poolModel: string; concurrency: number }) => PoolWorker
      logger: Logger
      intervalMs: number
    },
  ) {
    this.schedule = new Periodic(() => this.reconcile(), {
      everyMs: deps.intervalMs,
      onError: (error) => deps.logger.error({ err: error }, 'could not bring the model endpoint replicas in line'),
    })
  }

  async start(): Promise<void> {
    await this.schedule.run()
    this.schedule.start()
  }

  async stop(): Promise<void> {
    await this.schedule.stop()
    await Promise.all([...this.slots.values()].map((slot) => this.release(slot)))
  }

  /** Brings the running replicas in line with the endpoints in the database. */
  async reconcile(): Promise<void> {
    const { endpoints, keys, logger } = this.deps
    let wanted: Map<string, { endpoint: EndpointToDrive; index: number; fingerprint: string }>
    try {
      wanted = new Map()
      for (const endpoint of await endpoints.enabled()) {
        for (let index = 0; index < endpoint.replicas; index++) {
          wanted.set(endpointSlotKey(keys, endpoint.id, index), { endpoint, index, fingerprint: endpoint.updatedAt.toISOString() })
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'could not read the model endpoints')
      return
    }
    for (const slot of [...this.slots.values()]) {
      const want = wanted.get(slot.key)
      const kept = want?.fingerprint === slot.fingerprint && (await this.renew(slot))
      if (!kept) await this.release(slot)
    }
    for (const [key, want] of wanted) {
      if (this.slots.has(key)) continue
      if (!(await this.deps.redis.set(key, this.deps.owner, 'PX', claimTtlMs, 'NX'))) continue
      let started: PoolWorker | undefined
      try {
        const engine = await this.deps.engineFor(want.endpoint)
        started = this.deps.workerFor(engine, {
          replicaId: `${want.endpoint.name}-${want.index}-${this.deps.owner}`.replace(/[^\w.-]/g, '-'),
          poolModel: want.endpoint.name,
          concurrency: want.endpoint.concurrency,
        })
        await started.start()
        this.slots.set(key, { key, fingerprint: want.fingerprint, worker: started, engine })
        logger.info({ endpoint: want.endpoint.name, replica: want.index }, 'model endpoint replica started')
      } catch (error) {
        // Half started (its heartbeat, its queues' workers): stopped, not left running beside the next try.
        await started?.close().catch(() => undefined)
        await releaseRedisLock(this.deps.redis, key, this.deps.owner)
        logger.error({ err: error, endpoint: want.endpoint.name }, 'model endpoint replica could not start')
      }
    }
  }

  private async renew(slot: Slot): Promise<boolean> {
    return Number(await renewIfOwner(this.deps.redis, slot.key, this.deps.owner, claimTtlMs)) === 1
  }

  private async release(slot: Slot): Promise<void> {
    this.slots.delete(slot.key)
    await slot.worker.close()
    await slot.engine.close()
    await releaseRedisLock(this.deps.redis, slot.key, this.deps.owner)
    this.deps.logger.info({ replicaId: slot.worker.id }, 'model endpoint replica stopped')
  }
}
