import { Router } from 'express'
import type { AgentPresence, HandoffService } from '@chorus/conversation'
import { availabilityBody, loginBody, passwordChangeBody, type LoginResponse, type MeResponse } from '@chorus/protocol'
import { validate } from '../../http/validate.js'
import type { AuthRepository } from './auth.repository.js'
import type { AuthService } from './auth.service.js'
import { requireStaff, signedIn } from './require-staff.js'

/** Sign-in, sign-out, and the signed-in member of staff (docs/handoff.md). */
export function authRoutes(deps: {
  auth: AuthService
  authRepo: AuthRepository
  presence: AgentPresence
  handoff: HandoffService
}): Router {
  const router = Router()
  const staffOnly = requireStaff(deps.auth)

  router.post('/api/auth/login', async (req, res) => {
    const body = validate(loginBody, req.body)
    const result = await deps.auth.login(body.email, body.password, req.ip ?? 'unknown')
    res.json({ token: result.token, expiresAt: result.expiresAt.toISOString(), staff: result.staff } satisfies LoginResponse)
  })

  router.post('/api/auth/logout', staffOnly, async (_req, res) => {
    await deps.auth.logout(signedIn(res))
    res.status(204).end()
  })

  router.get('/api/me', staffOnly, async (_req, res) => {
    const { staff } = signedIn(res)
    const [teams, away] = await Promise.all([deps.authRepo.teamsOf(staff.id), deps.presence.isAway(staff.id)])
    res.json({ ...staff, available: !away, teams } satisfies MeResponse)
  })

  router.put('/api/me/password', staffOnly, async (req, res) => {
    const body = validate(passwordChangeBody, req.body)
    await deps.auth.changePassword(signedIn(res), body.currentPassword, body.newPassword)
    res.status(204).end()
  })

  router.put('/api/me/availability', staffOnly, async (req, res) => {
    const body = validate(availabilityBody, req.body)
    await deps.presence.setAway(signedIn(res).staff.id, !body.available)
    // Back at work: waiting conversations may go to them now.
    if (body.available) await deps.handoff.assignWaiting()
    res.status(204).end()
  })

  return router
}
