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
    const connection = await deps.presence.join(staff.id)
    const ping = setInterval(() => {
      writeEvent(res, 'ping', {})
      deps.presence.touch(connection).catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not refreshed'))
    }, pingMs)
    req.on('close', () => {
      clearInterval(ping)
      remove()
      deps.presence.leave(connection).catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not cleared'))
    })
    await deps.handoff.assignWaiting()
  })
  return router
}
