import type { PoolKeys } from './keys.js'
import type { RedisClient } from '@chorus/redis'

/** What a replica reports about itself on every heartbeat. */
export interface ReplicaStatus {
  id: string
  model: string
  engine: string
  /** Requests it runs at once. */
  capacity: number
  inFlight: number
  /** Marked down after repeated errors; probed back by its worker. */
  down: boolean
  /** Recent mean time to serve one prompt, ms (0 until measured). */
  serviceMs: number
  lastSeen: number
  /** Prompts on its queue, running and waiting, when it last reported. */
  load: number
}

/** A replica is live while its heartbeat is younger than this. */
export const replicaLivenessMs = 6000

/** Replicas and their status, kept in Redis by their workers' heartbeats. */
export class ReplicaRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: PoolKeys,
  ) {}

  async heartbeat(status: Omit<ReplicaStatus, 'lastSeen'>): Promise<void> {
    const now = Date.now()
    await this.redis
      .multi()
      .zadd(this.keys.replicas, now, status.id)
      .hset(this.keys.replica(status.id), {
        model: status.model,
        engine: status.engine,
        capacity: status.capacity,
        inFlight: status.inFlight,
        down: status.down ? 1 : 0,
        serviceMs: Math.round(status.serviceMs),
        load: status.load,
        lastSeen: now,
      })
      .pexpire(this.keys.replica(status.id), 24 * 3600 * 1000)
      .exec()
  }

  /** Every replica with a recent heartbeat, as it last reported. */
  async live(): Promise<ReplicaStatus[]> {
    const ids = await this.redis.zrangebyscore(this.keys.replicas, Date.now() - replicaLivenessMs, '+inf')
    if (ids.length === 0) return []
    const pipeline = this.redis.pipeline()
    for (const id of ids) pipeline.hgetall(this.keys.replica(id))
    const results = (await pipeline.exec()) ?? []
    const replicas: ReplicaStatus[] = []
    ids.forEach((id, i) => {
      const hash = results[i]?.[1] as Record<string, string> | undefined
      if (!hash?.model) return
      replicas.push({
        id,
        model: hash.model,
        engine: hash.engine ?? '',
        capacity: Number(hash.capacity ?? 1),
        inFlight: Number(hash.inFlight ?? 0),
        down: hash.down === '1',
        serviceMs: Number(hash.serviceMs ?? 0),
        lastSeen: Number(hash.lastSeen ?? 0),
        load: Math.max(0, Number(hash.load ?? 0)),
      })
    })
    return replicas
  }

  /** Replicas whose heartbeat stopped: their prompts must be moved. */
  dead(): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.replicas, '-inf', `(${Date.now() - replicaLivenessMs}`)
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().zrem(this.keys.replicas, id).del(this.keys.replica(id)).exec()
  }
}
