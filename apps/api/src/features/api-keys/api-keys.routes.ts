import { Router } from 'express'
import { apiKeyBody, type ApiKeyListResponse, type ApiKeyView, type CreatedApiKeyResponse } from '@chorus/protocol'
import { NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { FleetSignals } from '../../fleet/fleet-signals.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import { newApiKey, type ApiKeys } from '../openai/api-keys.js'
import type { ApiKeysRepository } from './api-keys.repository.js'

type KeyRow = Awaited<ReturnType<ApiKeysRepository['list']>>[number]

function toView(row: KeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
  }
}

/** The admin panel's `/v1` keys (docs/admin-api.md): a key is shown once, when it is created. */
export function apiKeysRoutes(deps: {
  auth: AuthService
  apiKeysRepo: ApiKeysRepository
  apiKeys: ApiKeys
  audit: AuditTrail
  signals: FleetSignals
}): Router {
  const router = Router()
  router.use('/api/api-keys', requireStaff(deps.auth), requireAdmin)
  const by = (id: string) => ({ type: 'staff' as const, id })

  router.get('/api/api-keys', async (_req, res) => {
    res.json({ apiKeys: (await deps.apiKeysRepo.list()).map(toView) } satisfies ApiKeyListResponse)
  })

  router.post('/api/api-keys', async (req, res) => {
    const body = validate(apiKeyBody, req.body)
    const staffId = signedIn(res).staff.id
    const { key, prefix, hash } = newApiKey()
    const row = await deps.apiKeysRepo.create({ name: body.name, prefix, hash, createdById: staffId })
    await deps.audit.record({
      actor: by(staffId),
      action: 'api_key.create',
      target: { type: 'api_key', id: row.id },
      data: { name: row.name },
    })
    res.setHeader('cache-control', 'no-store')
    res.status(201).json({ apiKey: toView(row), key } satisfies CreatedApiKeyResponse)
  })

  router.delete('/api/api-keys/:id', async (req, res) => {
    const id = req.params.id
    const outcome = await deps.apiKeysRepo.revoke(id)
    if (outcome === 'missing') throw new NotFound('no such API key')
    deps.apiKeys.forget(id)
    if (outcome === 'revoked')
      await deps.audit.record({ actor: by(signedIn(res).staff.id), action: 'api_key.revoke', target: { type: 'api_key', id } })
    // Sent again when revoked again, so a retry reaches the processes a lost signal did not.
    await deps.signals.send({ type: 'api-key-revoked', apiKeyId: id })
    res.status(204).end()
  })

  return router
}
