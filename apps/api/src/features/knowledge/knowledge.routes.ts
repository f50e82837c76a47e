import express, { Router, type Request } from 'express'
import { UnsupportedDocument, type KnowledgeBase } from '@chorus/knowledge'
import { knowledgeSearchQuery, knowledgeTextBody } from '@chorus/protocol'
import { HttpError, NotFound } from '../../http/http-errors.js'
import { rejectNulCharacters } from '../../http/nul-characters.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { BotsRepository } from '../bots/bots.repository.js'
import { readUploadedFile } from './multipart-file.js'

const maxUploadBytes = 20 * 1024 * 1024
const documentPath = /^\/api\/bots\/[^/]+\/knowledge\/documents\/?$/

/** The one route whose JSON body may exceed the API's usual limit (a pasted document). */
export function isKnowledgeDocumentPost(req: Request): boolean {
  return req.method === 'POST' && documentPath.test(req.path)
}

/** A bot's knowledge base (admin, contract): add documents, list and delete them, search. */
export function knowledgeRoutes(deps: {
  auth: AuthService
  knowledge: KnowledgeBase
  botsRepo: BotsRepository
  audit: AuditTrail
}): Router {
  const router = Router()
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
      await deps.audit.record({
        actor: { type: 'staff', id: signedIn(res).staff.id },
        action: 'knowledge.add',
        target: { type: 'knowledge_document', id: document.id },
        data: { botId, title: document.title, chunks: document.chunks },
      })
      res.status(201).json(document)
    } catch (error) {
      if (error instanceof UnsupportedDocument) throw new HttpError(415, 'unsupported_document', error.message)
      throw error
    }
  })

  router.get('/api/bots/:id/knowledge/documents', async (req, res) => {
    res.json({ documents: await deps.knowledge.documents(req.params.id) })
  })

  router.delete('/api/bots/:id/knowledge/documents/:documentId', async (req, res) => {
    if (!(await deps.knowledge.deleteDocument(req.params.id, req.params.documentId))) throw new NotFound('no such document')
    await deps.audit.record({
      actor: { type: 'staff', id: signedIn(res).staff.id },
      action: 'knowledge.delete',
      target: { type: 'knowledge_document', id: req.params.documentId },
      data: { botId: req.params.id },
    })
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
    })
  })

  return router
}
