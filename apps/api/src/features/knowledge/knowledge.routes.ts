import express, { Router, type Request, type Response } from 'express'
import type { Db } from '@chorus/db'
import { groupQuestions, knowledgeLookup, UnsupportedDocument, type KnowledgeBase } from '@chorus/knowledge'
import {
  botSettings,
  faqEntryBody,
  knowledgeSearchQuery,
  knowledgeTextBody,
  similarQuestionBody,
  unansweredQuery,
  type AddedDocumentResponse,
  type AddedFaqEntryResponse,
  type AddedSimilarQuestionResponse,
  type FaqQuestionList,
  type KnowledgeDocumentList,
  type KnowledgeSearchResponse,
  type SimilarQuestionList,
  type UnansweredResponse,
} from '@chorus/protocol'
import { Conflict, HttpError, NotFound } from '../../http/http-errors.js'
import { rejectNulCharacters } from '../../http/nul-characters.js'
import { validate } from '../../http/validate.js'
import type { AuditEntry, AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { BotsRepository } from '../bots/bots.repository.js'
import { readUploadedFile } from './multipart-file.js'
import { UnansweredRepository } from './unanswered.repository.js'

const maxUploadBytes = 20 * 1024 * 1024
const documentPath = /^\/api\/bots\/[^/]+\/knowledge\/documents\/?$/

/** The one route whose JSON body may exceed the API's usual limit (a pasted document). */
export function isKnowledgeDocumentPost(req: Request): boolean {
  return req.method === 'POST' && documentPath.test(req.path)
}

const dayMs = 86_400_000

/**
 * A bot's knowledge base (admin, contract): add documents, list and delete them, search; and
 * learn from what it could not answer (similar questions, new FAQ entries).
 */
export function knowledgeRoutes(deps: {
  auth: AuthService
  knowledge: KnowledgeBase
  botsRepo: BotsRepository
  audit: AuditTrail
  db: Db
  unanswered?: UnansweredRepository
}): Router {
  const router = Router()
  const unanswered = deps.unanswered ?? new UnansweredRepository(deps.db)
  const lookup = knowledgeLookup(deps.knowledge)
  /** Writes a change to the audit log, by the signed-in admin. */
  const audit = (res: Response, action: string, target: AuditEntry['target'], data: AuditEntry['data']) =>
    deps.audit.record({ actor: { type: 'staff', id: signedIn(res).staff.id }, action, target, data })
  router.use('/api/bots/:id/knowledge', requireStaff(deps.auth), requireAdmin, async (req, _res, next) => {
    if (!(await deps.botsRepo.find(String(req.params.id)))) throw new NotFound('no such bot')
    next()
  })
  // Pasted text up to 2,000,000 characters (up to 8 MB of UTF-8), read only once signed in as an admin.
  router.post('/api/bots/:id/knowledge/documents', express.json({ limit: '8mb' }), rejectNulCharacters)

  router.post('/api/bots/:id/knowledge/documents', async (req, res) => {
    const botId = req.params.id
    const input = req.is('multipart/form-data')
      ? await readUploadedFile(req, 'file', maxUploadBytes).then((file) => ({ ...file, title: file.fields.title || undefined }))
      : validate(knowledgeTextBody, req.body)
    try {
      const document = await deps.knowledge.addDocument(botId, input)
      await audit(
        res,
        'knowledge.add',
        { type: 'knowledge_document', id: document.id },
        { botId, title: document.title, chunks: document.chunks },
      )
      res.status(201).json(document satisfies AddedDocumentResponse)
    } catch (error) {
      if (error instanceof UnsupportedDocument) throw new HttpError(415, 'unsupported_document', error.message)
      throw error
    }
  })

  router.get('/api/bots/:id/knowledge/documents', async (req, res) => {
    const documents = await deps.knowledge.documents(req.params.id)
    res.json({
      documents: documents.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() })),
    } satisfies KnowledgeDocumentList)
  })

  router.delete('/api/bots/:id/knowledge/documents/:documentId', async (req, res) => {
    if (!(await deps.knowledge.deleteDocument(req.params.id, req.params.documentId))) throw new NotFound('no such document')
    await audit(res, 'knowledge.delete', { type: 'knowledge_document', id: req.params.documentId }, { botId: req.params.id })
    res.status(204).end()
  })

  router.get('/api/bots/:id/knowledge/search', async (req, res) => {
    const query = validate(knowledgeSearchQuery, req.query, 'query')
    const hits = await deps.knowledge.search.search(req.params.id, query.q, query.k)
    res.json({
      hits: hits.map((h) => ({
        document: h.document,
        heading: h.heading,
        text: h.text,
        kind: h.kind,
        score: Math.round(h.score * 1000) / 1000,
      })),
    } satisfies KnowledgeSearchResponse)
  })

  router.get('/api/bots/:id/knowledge/unanswered', async (req, res) => {
    const { days } = validate(unansweredQuery, req.query, 'query')
    const botId = req.params.id
    const groups = groupQuestions(await unanswered.since(botId, new Date(Date.now() - days * dayMs)))
    // A group the knowledge base answers now (an entry or a similar question added since) is done.
    const bot = await deps.botsRepo.find(botId)
    const settings = botSettings.safeParse(bot?.settings ?? {})
    const options = (settings.success ? settings.data : botSettings.parse({})).knowledge
    const open: typeof groups = []
    for (const group of groups) if ((await lookup.answer(botId, group.question, options)).kind !== 'answer') open.push(group)
    res.json({ groups: open.map((g) => ({ ...g, lastAt: g.lastAt.toISOString() })) } satisfies UnansweredResponse)
  })

  router.get('/api/bots/:id/knowledge/faq-questions', async (req, res) => {
    res.json({ questions: await deps.knowledge.faqQuestions(req.params.id) } satisfies FaqQuestionList)
  })

  router.get('/api/bots/:id/knowledge/similar-questions', async (req, res) => {
    const items = await deps.knowledge.similarQuestions(req.params.id)
    res.json({ items: items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) } satisfies SimilarQuestionList)
  })

  router.post('/api/bots/:id/knowledge/similar-questions', async (req, res) => {
    const botId = req.params.id
    const body = validate(similarQuestionBody, req.body)
    const added = await deps.knowledge.addSimilarQuestion(botId, body.faqQuestion, body.similar)
    if (added === 'no_entry') throw new NotFound('the bot has no FAQ entry with that question')
    if (added === 'exists') throw new Conflict('that similar question is already attached')
    await audit(
      res,
      'knowledge.similar_add',
      { type: 'knowledge_similar_question', id: added.id },
      { botId, faqQuestion: body.faqQuestion, similar: body.similar },
    )
    res.status(201).json({ id: added.id } satisfies AddedSimilarQuestionResponse)
  })

  router.delete('/api/bots/:id/knowledge/similar-questions/:sid', async (req, res) => {
    if (!(await deps.knowledge.deleteSimilarQuestion(req.params.id, req.params.sid))) throw new NotFound('no such similar question')
    await audit(res, 'knowledge.similar_delete', { type: 'knowledge_similar_question', id: req.params.sid }, { botId: req.params.id })
    res.status(204).end()
  })

  router.post('/api/bots/:id/knowledge/faq-entries', async (req, res) => {
    const botId = req.params.id
    const body = validate(faqEntryBody, req.body)
    const document = await deps.knowledge.addFaqEntry(botId, body.question, body.answer)
    await audit(
      res,
      'knowledge.faq_add',
      { type: 'knowledge_document', id: document.id },
      { botId, title: document.title, question: body.question },
    )
    res.status(201).json({ document: document.title, question: body.question } satisfies AddedFaqEntryResponse)
  })

  return router
}
