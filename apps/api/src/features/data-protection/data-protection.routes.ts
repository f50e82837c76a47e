import { Router } from 'express'
import { NotFound } from '../../http/http-errors.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { DataProtectionRepository } from './data-protection.repository.js'
import type { RetentionJob } from './retention-job.js'

/** Data protection (admin): erase one user's data on request; run the retention policy now. */
export function dataProtectionRoutes(deps: {
  auth: AuthService
  dataRepo: DataProtectionRepository
  retention: RetentionJob
  audit: AuditTrail
}): Router {
  const router = Router()
  const adminOnly = [requireStaff(deps.auth), requireAdmin]

  router.delete('/api/end-users/:id', ...adminOnly, async (req, res) => {
    const id = String(req.params.id)
    const erased = await deps.dataRepo.eraseEndUser(id)
    if (!erased) throw new NotFound('no such user')
    await deps.audit.record({
      actor: { type: 'staff', id: signedIn(res).staff.id },
      action: 'end_user.erase',
      target: { type: 'end_user', id },
      data: {
        messages: erased.messages,
        conversations: erased.conversations,
        trainingPairs: erased.trainingPairs,
        datasetItems: erased.datasetItems,
        // Files made before that held the user's messages: for whoever holds them to act on.
        exports: erased.exports.map((e) => e.id),
      },
    })
    res.json({ erased })
  })

  router.post('/api/retention/run', ...adminOnly, async (_req, res) => {
    const deleted = await deps.retention.runOnce()
    if (deleted === undefined) throw new Error('the retention pass failed')
    res.json({ deleted })
  })

  return router
}
