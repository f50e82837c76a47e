import { Router } from 'express'
import type { Dispatcher } from '@chorus/pool'
import type { PoolHistoryResponse, PoolReading } from '@chorus/protocol'
import type { ConversationKeys } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff } from '../auth/require-staff.js'
import { readPool, type PoolHistory } from './pool-history.js'

/**
 * `GET /api/pool` (admin): the pool now — each live replica's queue and in-flight prompts, and
 * the shared counters and histograms. The dashboard polls it and charts the differences between
 * snapshots (tokens per second, wait p95, time to first token, errors). `GET /api/pool/history`:
 * the same readings over the last five minutes, for the charts to start from.
 */
export function poolRoutes(deps: {
  auth: AuthService
  dispatcher: Dispatcher
  redis: RedisClient
  keys: ConversationKeys
  poolHistory: PoolHistory
}): Router {
  const router = Router()
  const adminOnly = [requireStaff(deps.auth), requireAdmin]
  router.get('/api/pool', ...adminOnly, async (_req, res) => {
    const reading = await readPool(deps)
    deps.poolHistory.keep(reading)
    res.json(reading satisfies PoolReading)
  })
  router.get('/api/pool/history', ...adminOnly, (_req, res) => {
    res.json({ samples: deps.poolHistory.samples() } satisfies PoolHistoryResponse)
  })
  return router
}
