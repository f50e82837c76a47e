import { Router } from 'express'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { countLiveWorkers, type PromptQueue, type Redis, type RedisKeys } from '@chorus/pool'

/** `GET /metrics` in Prometheus text format: process metrics plus the pool's queue and workers. */
export function metricsRoutes(deps: { queue: PromptQueue; redis: Redis; keys: RedisKeys }): Router {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'chorus_api_' })
  new Gauge({
    name: 'chorus_queue_depth',
    help: 'Prompts waiting for a pool worker',
    registers: [registry],
    async collect() {
      this.set(await deps.queue.depth())
    },
  })
  new Gauge({
    name: 'chorus_workers_live',
    help: 'Pool workers with a recent heartbeat',
    registers: [registry],
    async collect() {
      this.set(await countLiveWorkers(deps.redis, deps.keys))
    },
  })
  const router = Router()
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType)
    res.send(await registry.metrics())
  })
  return router
}
