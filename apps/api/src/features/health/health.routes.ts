import { Router } from 'express'
import type { Db } from '@chorus/db'
import type { HealthBody } from '@chorus/protocol'
import type { Dispatcher } from '@chorus/pool'

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** `GET /healthz`: database, Redis and live pool workers; `degraded` with a 503 if any is missing. */
export function healthRoutes(deps: { db: Db; dispatcher: Dispatcher }): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    const db = await within(2000, deps.db.$queryRaw`SELECT 1`).then(
      () => 'ok' as const,
      () => 'down' as const,
    )
    const workers = await within(2000, deps.dispatcher.registry.live()).then(
      (replicas) => replicas.length,
      () => -1,
    )
    const redis = workers >= 0 ? ('ok' as const) : ('down' as const)
    const body: HealthBody = {
      status: db === 'ok' && redis === 'ok' && workers > 0 ? 'ok' : 'degraded',
      db,
      redis,
      workers: Math.max(0, workers),
    }
    res.status(body.status === 'ok' ? 200 : 503).json(body)
  })
  return router
}
