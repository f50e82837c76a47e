import { Router, type Response } from 'express'
import type { Logger } from 'pino'
import { HandoffConflict, type HandoffService, type StaffActor } from '@chorus/conversation'
import {
  conversationExportQuery,
  conversationListQuery,
  resolveBody,
  staffTextBody,
  transferBody,
  type ConversationResponse,
  type ConversationSummaryResponse,
  type InboxResponse,
  type PostedMessageResponse,
  type SuggestionsResponse,
  type SummaryResponse,
} from '@chorus/protocol'
import { Conflict, Forbidden, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { StaffRepository } from '../staff/staff.repository.js'
import type { TrainingRepository } from '../training/training.repository.js'
import type { AssistService } from './assist.service.js'
import { exportRows, sendExport } from './conversation-export.js'
import type { ConversationsRepository } from './conversations.repository.js'

export interface ConversationsRoutesDeps {
  auth: AuthService
  conversations: ConversationsRepository
  staffRepo: StaffRepository
  handoff: HandoffService
  assist: AssistService
  audit: AuditTrail
  logger: Logger
  /** Offers an agent's reply to a question the bot could not answer as a training pair. */
  training?: TrainingRepository
}

/** The agent console's conversation routes (docs/handoff.md): inbox, history, and every handoff action. */
export function conversationsRoutes(deps: ConversationsRoutesDeps): Router {
  const router = Router()
  router.use('/api/conversations', requireStaff(deps.auth))

  const actor = (res: Response): StaffActor => {
    const { staff } = signedIn(res)
    return { id: staff.id, displayName: staff.displayName || staff.email, role: staff.role }
  }

  /** The conversation id of the route, once the caller may act on it (404 / 403 otherwise). */
  const allowed = async (res: Response, id: string): Promise<string> => {
    const access = await deps.conversations.access(actor(res), id)
    if (access === 'missing') throw new NotFound('no such conversation')
    if (access === 'forbidden') throw new Forbidden('this conversation belongs to a team you are not in')
    return id
  }

  /** Runs a handoff action, maps a lost race to 409, and records it in the audit log. */
  const act = async (res: Response, id: string, action: string, run: () => Promise<void>, data?: object) => {
    try {
      await run()
    } catch (error) {
      if (error instanceof HandoffConflict) throw new Conflict(error.message)
      throw error
    }
    await deps.audit.record({
      actor: { type: 'staff', id: actor(res).id },
      action,
      target: { type: 'conversation', id },
      data: { ...data },
    })
  }

  router.get('/api/conversations', async (req, res) => {
    const query = validate(conversationListQuery, req.query, 'query')
    const viewer = actor(res)
    const [conversations, counts] = await Promise.all([deps.conversations.list(viewer, query), deps.conversations.counts(viewer)])
    res.json({ conversations, counts } satisfies InboxResponse)
  })

  // Before `/:id`, which would take "export" for an id.
  router.get('/api/conversations/export', requireAdmin, async (req, res) => {
    const { format, ...filters } = validate(conversationExportQuery, req.query, 'query')
    const viewer = actor(res)
    await deps.audit.record({
      actor: { type: 'staff', id: viewer.id },
      action: 'conversation.export',
      target: { type: 'conversation' },
      data: { format, ...filters },
    })
    try {
      await sendExport(res, exportRows(deps.conversations, deps.conversations.matching(viewer, filters)), format)
    } catch (error) {
      if (!res.headersSent) throw error
      // Half a file must not pass for a whole one: break the connection instead of ending it.
      deps.logger.error({ err: error, staffId: viewer.id }, 'conversation export failed')
      res.destroy()
    }
  })

  router.get('/api/conversations/:id', async (req, res) => {
    const id = await allowed(res, req.params.id)
    res.json({ conversation: await deps.conversations.detail(id) } satisfies ConversationResponse)
  })

  router.post('/api/conversations/:id/claim', async (req, res) => {
    const id = await allowed(res, req.params.id)
    await act(res, id, 'conversation.claim', () => deps.handoff.claim(id, actor(res)))
    res.json({ conversation: await deps.conversations.summary(id) } satisfies ConversationSummaryResponse)
  })

  router.post('/api/conversations/:id/release', async (req, res) => {
    const id = await allowed(res, req.params.id)
    await act(res, id, 'conversation.release', () => deps.handoff.release(id, actor(res)))
    res.json({ conversation: await deps.conversations.summary(id) } satisfies ConversationSummaryResponse)
  })

  router.post('/api/conversations/:id/resolve', async (req, res) => {
    const id = await allowed(res, req.params.id)
    const body = validate(resolveBody, req.body ?? {})
    await act(res, id, 'conversation.resolve', () => deps.handoff.resolve(id, actor(res), body.rating), { rating: body.rating ?? null })
    res.json({ conversation: await deps.conversations.summary(id) } satisfies ConversationSummaryResponse)
  })

  router.post('/api/conversations/:id/transfer', async (req, res) => {
    const id = await allowed(res, req.params.id)
    const body = validate(transferBody, req.body)
    if ('teamId' in body && !(await deps.staffRepo.teamExists(body.teamId))) throw new NotFound('no such team')
    if ('staffId' in body) {
      // The colleague must be able to see the conversation they are given.
      const target = await deps.staffRepo.viewer(body.staffId)
      if (!target) throw new NotFound('no such colleague')
      if ((await deps.conversations.access(target, id)) !== 'ok')
        throw new Conflict('that colleague is not in a team serving this conversation')
    }
    await act(res, id, 'conversation.transfer', () => deps.handoff.transfer(id, actor(res), body), body)
    res.json({ conversation: await deps.conversations.summary(id) } satisfies ConversationSummaryResponse)
  })

  router.post('/api/conversations/:id/messages', async (req, res) => {
    const id = await allowed(res, req.params.id)
    const body = validate(staffTextBody, req.body)
    let message: { id: bigint; createdAt: Date } | undefined
    await act(res, id, 'conversation.reply', async () => {
      message = await deps.handoff.reply(id, actor(res), body.text)
    })
    // Sent already: a candidate pair that could not be stored costs the training set one example, not the reply.
    await deps.training?.offerAgentReply(id, message!.id, actor(res).id).catch((error: unknown) => {
      deps.logger.warn({ err: error, conversationId: id }, 'the agent reply was not offered as a training pair')
    })
    res.status(201).json({
      message: { id: String(message!.id), role: 'agent', text: body.text, at: message!.createdAt.toISOString() },
    } satisfies PostedMessageResponse)
  })

  router.post('/api/conversations/:id/notes', async (req, res) => {
    const id = await allowed(res, req.params.id)
    const body = validate(staffTextBody, req.body)
    const note = await deps.handoff.note(id, actor(res), body.text)
    await deps.audit.record({
      actor: { type: 'staff', id: actor(res).id },
      action: 'conversation.note',
      target: { type: 'conversation', id },
    })
    res.status(201).json({
      message: { id: String(note.id), role: 'note', text: body.text, at: note.createdAt.toISOString() },
    } satisfies PostedMessageResponse)
  })

  router.post('/api/conversations/:id/typing', async (req, res) => {
    const id = await allowed(res, req.params.id)
    await deps.handoff.typing(id, actor(res))
    res.status(204).end()
  })

  router.post('/api/conversations/:id/suggestions', async (req, res) => {
    const id = await allowed(res, req.params.id)
    res.json((await deps.assist.suggest(id)) satisfies SuggestionsResponse)
  })

  router.post('/api/conversations/:id/summary', async (req, res) => {
    const id = await allowed(res, req.params.id)
    res.json((await deps.assist.summarize(id)) satisfies SummaryResponse)
  })

  return router
}
