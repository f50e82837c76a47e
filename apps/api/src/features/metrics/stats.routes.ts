import { Router } from 'express'
import type { Db } from '@chorus/db'
import type { HandoffStatsResponse } from '@chorus/protocol'
import type { AuthService } from '../auth/auth.service.js'
import { requireStaff } from '../auth/require-staff.js'
import { agentFigures, handoffFigures, type HandoffFigure } from './handoff-metrics.js'

interface Totals {
  conversations: number
  handoffs: number
  firstResponse: { sum: number; count: number }
  resolution: { sum: number; count: number }
  rating: { sum: number; count: number }
}

const mean = (part: { sum: number; count: number }) => (part.count > 0 ? part.sum / part.count : null)

function rollUp(figures: HandoffFigure[], key: (f: HandoffFigure) => string | null) {
  const totals = new Map<string, Totals>()
  for (const f of figures) {
    const name = key(f)
    if (name === null) continue
    const t = totals.get(name) ?? {
      conversations: 0,
      handoffs: 0,
      firstResponse: { sum: 0, count: 0 },
      resolution: { sum: 0, count: 0 },
      rating: { sum: 0, count: 0 },
    }
    t.conversations += f.conversations
    t.handoffs += f.handoffs
    for (const part of ['firstResponse', 'resolution', 'rating'] as const) {
      t[part].sum += f[part].sum
      t[part].count += f[part].count
    }
    totals.set(name, t)
  }
  return [...totals].map(([name, t]) => ({
    name,
    conversations: t.conversations,
    handoffs: t.handoffs,
    handoffRate: t.conversations > 0 ? t.handoffs / t.conversations : 0,
    firstResponseSeconds: mean(t.firstResponse),
    resolutionSeconds: mean(t.resolution),
    rating: mean(t.rating),
    ratings: t.rating.count,
  }))
}

/** `GET /api/stats/handoff`: handoff rate, first response, resolution and rating per bot and per agent (every conversation they handled). */
export function statsRoutes(deps: { auth: AuthService; db: Db }): Router {
  const router = Router()
  router.get('/api/stats/handoff', requireStaff(deps.auth), async (_req, res) => {
    const [figures, byAgent] = await Promise.all([handoffFigures(deps.db), agentFigures(deps.db)])
    res.json({ bots: rollUp(figures, (f) => f.bot), agents: rollUp(byAgent, (f) => f.agent) } satisfies HandoffStatsResponse)
  })
  return router
}
