import { Router } from 'express'
import type { Logger } from 'pino'
import type { AgentPresence, HandoffService } from '@chorus/conversation'
import { startEventStream, writeEvent } from '../../http/event-stream.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireStaff, signedIn } from '../auth/require-staff.js'
import type { LiveHub } from './live-hub.js'

const pingMs = 15_000

/**
 * `GET /api/events`: the console's live stream (server-sent events). While it is open the agent
 * is online; coming online may hand them waiting conversations.
 */
export function liveRoutes(deps: {
  auth: AuthService
  hub: LiveHub
  presence: AgentPresence
  handoff: HandoffService
  logger: Logger
}): Router {
  const router = Router()
  router.get('/api/events', requireStaff(deps.auth), async (req, res) => {
    const { staff } = signedIn(res)
    startEventStream(res)
    res.write(': connected\n\n')
    const remove = deps.hub.add({ id: staff.id, role: staff.role }, res)
    // Everything that needs cleaning up exists before the first await: a console gone during it
    // must not stay "online" with a ping timer running.
    const joined = deps.presence.join(staff.id)
    const ping = setInterval(() => {
      writeEvent(res, 'ping', {})
      joined
        .then((connection) => deps.presence.touch(connection))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not refreshed'))
    }, pingMs)
    req.on('close', () => {
      clearInterval(ping)
      remove()
      joined
        .then((connection) => deps.presence.leave(connection))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not cleared'))
    })
    await joined
    if (req.destroyed) return
    await deps.handoff.assignWaiting()
  })
  return router
}
