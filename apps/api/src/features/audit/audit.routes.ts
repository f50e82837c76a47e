import { Router } from 'express'
import { auditQuery, type AuditPage } from '@chorus/protocol'
import { validate } from '../../http/validate.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff } from '../auth/require-staff.js'
import type { AuditTrail } from './audit-trail.js'

/** `GET /api/audit`: the admin panel's audit page (docs/admin-api.md). */
export function auditRoutes(deps: { auth: AuthService; audit: AuditTrail }): Router {
  const router = Router()
  router.get('/api/audit', requireStaff(deps.auth), requireAdmin, async (req, res) => {
    res.json((await deps.audit.search(validate(auditQuery, req.query, 'query'))) satisfies AuditPage)
  })
  return router
}
