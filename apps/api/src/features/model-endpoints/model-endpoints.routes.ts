import { Router } from 'express'
import type { Dispatcher } from '@chorus/pool'
import {
  modelEndpointBody,
  modelEndpointPatch,
  type ConnectionResult,
  type ModelEndpointListResponse,
  type ModelEndpointResponse,
  type ModelEndpointView,
} from '@chorus/protocol'
import { Conflict, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import { isUniqueViolation } from '../staff/staff.repository.js'
import { testConnection } from './connection-test.js'
import type { ModelEndpointRow, ModelEndpointsRepository } from './model-endpoints.repository.js'

/** Model endpoints (admin): add, change, remove, test, and see their live replicas and the bots using them. */
export function modelEndpointsRoutes(deps: {
  auth: AuthService
  endpointsRepo: ModelEndpointsRepository
  dispatcher: Dispatcher
  audit: AuditTrail
}): Router {
  const router = Router()
  router.use('/api/model-endpoints', requireStaff(deps.auth), requireAdmin)
  const by = (id: string) => ({ type: 'staff' as const, id })

  const withReplicas = async (rows: ModelEndpointRow[]): Promise<ModelEndpointView[]> => {
    const live = await deps.dispatcher.registry.live()
    return rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      liveReplicas: live
        .filter((r) => r.model === row.name)
        .map((r) => ({ id: r.id, down: r.down, inFlight: r.inFlight, capacity: r.capacity })),
    }))
  }

  const load = async (id: string) => {
    const row = await deps.endpointsRepo.find(id)
    if (!row) throw new NotFound('no such model endpoint')
    return row
  }

  router.get('/api/model-endpoints', async (_req, res) => {
    res.json({ modelEndpoints: await withReplicas(await deps.endpointsRepo.list()) } satisfies ModelEndpointListResponse)
  })

  router.post('/api/model-endpoints', async (req, res) => {
    const body = validate(modelEndpointBody, req.body)
    try {
      const row = await deps.endpointsRepo.create(body)
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'model_endpoint.create',
        target: { type: 'model_endpoint', id: row.id },
        data: { name: row.name, kind: row.kind },
      })
      const [view] = await withReplicas([row])
      res.status(201).json({ modelEndpoint: view! } satisfies ModelEndpointResponse)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`a model endpoint named ${body.name} exists already`)
      throw error
    }
  })

  router.patch('/api/model-endpoints/:id', async (req, res) => {
    // Only the fields sent change (the schema's defaults are for creating).
    const sent = validate(modelEndpointPatch, req.body)
    const patch = Object.fromEntries(Object.entries(sent).filter(([key]) => key in (req.body as object)))
    const { id, bots: _bots, createdAt: _c, updatedAt: _u, ...current } = await load(req.params.id)
    const next = validate(modelEndpointBody, { ...current, ...patch })
    try {
      const row = await deps.endpointsRepo.update(id, next)
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'model_endpoint.update',
        target: { type: 'model_endpoint', id },
        data: { fields: Object.keys(patch) },
      })
      const [view] = await withReplicas([row])
      res.json({ modelEndpoint: view! } satisfies ModelEndpointResponse)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`a model endpoint named ${next.name} exists already`)
      throw error
    }
  })

  router.delete('/api/model-endpoints/:id', async (req, res) => {
    if (!(await deps.endpointsRepo.remove(req.params.id))) throw new NotFound('no such model endpoint')
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'model_endpoint.delete',
      target: { type: 'model_endpoint', id: req.params.id },
    })
    res.status(204).end()
  })

  // Test a saved endpoint, or the settings being typed in (before saving).
  router.post('/api/model-endpoints/:id/test', async (req, res) => {
    res.json((await testConnection(await load(req.params.id))) satisfies ConnectionResult)
  })
  router.post('/api/model-endpoints/test', async (req, res) => {
    res.json((await testConnection(validate(modelEndpointBody, req.body))) satisfies ConnectionResult)
  })

  return router
}
