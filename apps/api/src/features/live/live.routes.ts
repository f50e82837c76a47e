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
    // The close handler comes before any await: a console gone during one must not stay "online".
    let ping: NodeJS.Timeout | undefined
    const joined = deps.presence.join(staff.id)
    req.on('close', () => {
      clearInterval(ping)
      remove()
      joined
        .then((connection) => deps.presence.leave(connection))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not cleared'))
    })
    const connection = await joined
    if (req.destroyed) return
    ping = setInterval(() => {
      writeEvent(res, 'ping', {})
      deps.presence.touch(connection).catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not refreshed'))
    }, pingMs)
    await deps.handoff.assignWaiting()
  })
  return router
}
