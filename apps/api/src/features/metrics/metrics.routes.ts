import { Router } from 'express'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { Db } from '@chorus/db'
import { renderPoolMetrics, type Dispatcher } from '@chorus/pool'
import type { ConversationKeys } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import { handoffFigures, openConversations, renderHandoffMetrics } from './handoff-metrics.js'

/**
 * `GET /metrics` in Prometheus text format: this process's metrics, the pool's live state per
 * replica (queue depth, in flight, up) and the pool's shared counters and histograms, and the handoff figures per bot and agent.
 */
export function metricsRoutes(deps: { db: Db; dispatcher: Dispatcher; redis: RedisClient; keys: ConversationKeys }): Router {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'chorus_api_' })
  const depth = new Gauge({
    name: 'chorus_queue_depth',
    help: 'Prompts waiting for a replica',
    labelNames: ['replica'],
    registers: [registry],
  })
  const inFlight = new Gauge({
    name: 'chorus_in_flight',
    help: 'Prompts running on a replica',
    labelNames: ['replica'],
    registers: [registry],
  })
  const up = new Gauge({
    name: 'chorus_replica_up',
    help: '1 while a replica takes prompts, 0 while marked down',
    labelNames: ['replica'],
    registers: [registry],
  })
  const workers = new Gauge({ name: 'chorus_workers_live', help: 'Pool workers (replicas) with a recent heartbeat', registers: [registry] })
  const router = Router()
  router.get('/metrics', async (_req, res) => {
    const live = await deps.dispatcher.registry.live()
    depth.reset()
    inFlight.reset()
    up.reset()
    workers.set(live.length)
    for (const replica of live) {
      depth.set({ replica: replica.id }, Math.max(0, replica.load - replica.inFlight))
      inFlight.set({ replica: replica.id }, replica.inFlight)
      up.set({ replica: replica.id }, replica.down ? 0 : 1)
    }
    res.setHeader('content-type', registry.contentType)
    const [figures, open] = await Promise.all([handoffFigures(deps.db), openConversations(deps.db)])
    res.send((await registry.metrics()) + (await renderPoolMetrics(deps.redis, deps.keys)) + renderHandoffMetrics(figures, open))
  })
  return router
}
