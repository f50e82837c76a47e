import { Router } from 'express'
import { Prisma } from '@chorus/db'
import type { AgentPresence } from '@chorus/conversation'
import {
  cannedResponseBody,
  createStaffBody,
  staffPatchBody,
  teamBody,
  teamPatchBody,
  type CannedResponseList,
  type StaffListResponse,
  type TeamListResponse,
} from '@chorus/protocol'
import { BadRequest, Conflict, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { FleetSignals } from '../../fleet/fleet-signals.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { hashPassword } from '../auth/passwords.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { LiveHub } from '../live/live-hub.js'
import { isUniqueViolation, type StaffRepository } from './staff.repository.js'

/** A foreign key that points nowhere (an unknown bot, team or member id). */
function isMissingReference(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2003' || error.code === 'P2025')
}

type MemberRow = Awaited<ReturnType<StaffRepository['updateStaff']>>

function toMember({ teams, ...member }: MemberRow) {
  return { ...member, teamIds: teams.map((t) => t.teamId) }
}

/** Colleagues, teams and canned responses; managing staff and teams is for admins. */
export function staffRoutes(deps: {
  auth: AuthService
  staffRepo: StaffRepository
  presence: AgentPresence
  audit: AuditTrail
  hub: LiveHub
  signals: FleetSignals
}): Router {
  const router = Router()
  const staffOnly = requireStaff(deps.auth)
  const by = (id: string) => ({ type: 'staff' as const, id })

  router.get('/api/staff', staffOnly, async (_req, res) => {
    const [staff, online] = await Promise.all([deps.staffRepo.colleagues(signedIn(res).staff), deps.presence.online()])
    res.json({ staff: staff.map((s) => ({ ...toMember(s), online: online.has(s.id) })) } satisfies StaffListResponse)
  })

  router.post('/api/staff', staffOnly, requireAdmin, async (req, res) => {
    const body = validate(createStaffBody, req.body)
    const { password, ...rest } = body
    try {
      const staff = await deps.staffRepo.createStaff({ ...rest, passwordHash: await hashPassword(password) })
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'staff.create',
        target: { type: 'staff', id: staff.id },
        data: { role: staff.role },
      })
      res.status(201).json({ staff })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict('someone with that e-mail address exists already')
      if (isMissingReference(error)) throw new BadRequest('teamIds: no such team')
      throw error
    }
  })

  router.patch('/api/staff/:id', staffOnly, requireAdmin, async (req, res) => {
    const body = validate(staffPatchBody, req.body)
    const id = String(req.params.id)
    const me = signedIn(res).staff.id
    // Another admin must do it, so there is always one left who can sign in.
    if (id === me && (body.disabled === true || body.role === 'agent')) throw new Conflict('you cannot disable or demote yourself')
    if (!(await deps.staffRepo.staffExists(id))) throw new NotFound('no such member of staff')
    try {
      const staff = await deps.staffRepo.updateStaff(id, body)
      // An open live stream was allowed under the old role: it must be checked again, here at
      // once and in every other API process on the signal.
      const accessChanged = Boolean(body.disabled || body.role)
      if (accessChanged) deps.hub.disconnect(id)
      await deps.audit.record({ actor: by(me), action: 'staff.update', target: { type: 'staff', id }, data: body })
      if (accessChanged) await deps.signals.send({ type: 'staff-access-changed', staffId: id })
      res.json({ staff: toMember(staff) })
    } catch (error) {
      if (isMissingReference(error)) throw new BadRequest('teamIds: no such team')
      throw error
    }
  })

  router.get('/api/teams', staffOnly, async (_req, res) => {
    const teams = await deps.staffRepo.teams()
    res.json({
      teams: teams.map((t) => ({ id: t.id, name: t.name, botIds: t.bots.map((b) => b.botId), memberIds: t.members.map((m) => m.staffId) })),
    } satisfies TeamListResponse)
  })

  router.post('/api/teams', staffOnly, requireAdmin, async (req, res) => {
    const body = validate(teamBody, req.body)
    try {
      const team = await deps.staffRepo.createTeam(body)
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'team.create',
        target: { type: 'team', id: team.id },
        data: body,
      })
      res.status(201).json({ team })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict('a team with that name exists already')
      if (isMissingReference(error)) throw new BadRequest('botIds or memberIds: no such bot or member of staff')
      throw error
    }
  })

  router.patch('/api/teams/:id', staffOnly, requireAdmin, async (req, res) => {
    const body = validate(teamPatchBody, req.body)
    const id = String(req.params.id)
    if (!(await deps.staffRepo.teamExists(id))) throw new NotFound('no such team')
    try {
      const team = await deps.staffRepo.updateTeam(id, body)
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'team.update',
        target: { type: 'team', id: team.id },
        data: body,
      })
      res.json({ team })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict('a team with that name exists already')
      if (isMissingReference(error)) throw new BadRequest('botIds or memberIds: no such bot or member of staff')
      throw error
    }
  })

  router.delete('/api/teams/:id', staffOnly, requireAdmin, async (req, res) => {
    const id = String(req.params.id)
    const team = await deps.staffRepo.deleteTeam(id)
    if (!team) throw new NotFound('no such team')
    await deps.audit.record({ actor: by(signedIn(res).staff.id), action: 'team.delete', target: { type: 'team', id }, data: team })
    res.status(204).end()
  })

  router.get('/api/canned-responses', staffOnly, async (_req, res) => {
    res.json({ cannedResponses: await deps.staffRepo.cannedResponses() } satisfies CannedResponseList)
  })

  router.post('/api/canned-responses', staffOnly, async (req, res) => {
    const body = validate(cannedResponseBody, req.body)
    const staffId = signedIn(res).staff.id
    try {
      const canned = await deps.staffRepo.createCannedResponse({ ...body, createdById: staffId })
      await deps.audit.record({ actor: by(staffId), action: 'canned_response.create', target: { type: 'canned_response', id: canned.id } })
      res.status(201).json({ cannedResponse: canned })
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`the shortcut /${body.shortcut} is taken`)
      throw error
    }
  })

  router.delete('/api/canned-responses/:id', staffOnly, async (req, res) => {
    const id = String(req.params.id)
    if (!(await deps.staffRepo.deleteCannedResponse(id))) throw new NotFound('no such canned response')
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'canned_response.delete',
      target: { type: 'canned_response', id },
    })
    res.status(204).end()
  })

  return router
}
