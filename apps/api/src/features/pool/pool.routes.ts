import { Router } from 'express'
import { poolSnapshot, unroutedQueueName, type Dispatcher } from '@chorus/pool'
import type { ConversationKeys } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff } from '../auth/require-staff.js'

/**
 * `GET /api/pool` (admin): the pool now — each live replica's queue and in-flight prompts, and
 * the shared counters and histograms. The dashboard polls it and charts the differences between
 * snapshots (tokens per second, wait p95, time to first token, errors).
 */
export function poolRoutes(deps: { auth: AuthService; dispatcher: Dispatcher; redis: RedisClient; keys: ConversationKeys }): Router {
  const router = Router()
  router.get('/api/pool', requireStaff(deps.auth), requireAdmin, async (_req, res) => {
    const [live, snapshot, unrouted] = await Promise.all([
      deps.dispatcher.registry.live(),
      poolSnapshot(deps.redis, deps.keys),
      deps.dispatcher.queue(unroutedQueueName).getJobCounts('waiting', 'prioritized', 'delayed'),
    ])
    const replicas = live.map((r) => {
      return {
        id: r.id,
        model: r.model,
        engine: r.engine,
        up: !r.down,
        capacity: r.capacity,
        inFlight: r.inFlight,
        queued: Math.max(0, r.load - r.inFlight),
      }
    })
    // Prompts waiting while no replica of their model is live count towards the queue too.
    res.json({ ...snapshot, workers: live.length, replicas, unrouted: Object.values(unrouted).reduce((a, b) => a + b, 0) })
  })
  return router
}
