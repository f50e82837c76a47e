import { Router, type Response } from 'express'
import type { KnowledgeBase } from '@chorus/knowledge'
import {
  answerRatingBody,
  comparisonBody,
  datasetBody,
  datasetExportQuery,
  trainingPairQuery,
  trainingPairReviewBody,
} from '@chorus/protocol'
import { BadRequest, Forbidden, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditEntry, AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { ConversationsRepository } from '../conversations/conversations.repository.js'
import { ComparisonRefused, type ModelComparisons } from './model-comparisons.js'
import type { TrainingPairRow, TrainingRepository } from './training.repository.js'

const pairJson = (pair: TrainingPairRow) => ({
  ...pair,
  createdAt: pair.createdAt.toISOString(),
  reviewedAt: pair.reviewedAt?.toISOString() ?? null,
})

const messageId = (raw: string): bigint => {
  if (!/^\d{1,19}$/.test(raw)) throw new NotFound('no such message')
  return BigInt(raw)
}

/**
 * Training data (docs/datasets.md): agents rate and correct the bot's answers in the console;
 * admins review the candidate pairs, build datasets and export them for fine-tuning.
 */
export function trainingRoutes(deps: {
  auth: AuthService
  training: TrainingRepository
  conversations: ConversationsRepository
  knowledge: KnowledgeBase
  comparisons: ModelComparisons
  audit: AuditTrail
}): Router {
  const router = Router()
  const audit = (res: Response, action: string, target: AuditEntry['target'], data: AuditEntry['data'] = {}) =>
    deps.audit.record({ actor: { type: 'staff', id: signedIn(res).staff.id }, action, target, data })

  router.post('/api/conversations/:id/messages/:messageId/rating', requireStaff(deps.auth), async (req, res) => {
    const { staff } = signedIn(res)
    const conversationId = String(req.params.id)
    const access = await deps.conversations.access({ id: staff.id, role: staff.role }, conversationId)
    if (access === 'missing') throw new NotFound('no such conversation')
    if (access === 'forbidden') throw new Forbidden('this conversation belongs to a team you are not in')
    const body = validate(answerRatingBody, req.body)
    const pair = await deps.training.rateAnswer({
      conversationId,
      messageId: messageId(String(req.params.messageId)),
      staffId: staff.id,
      rating: body.rating,
      betterAnswer: body.betterAnswer,
    })
    if (pair === 'not_an_answer') throw new BadRequest('only the bot’s answer to a question can be rated')
    await audit(
      res,
      'training.rate',
      { type: 'training_pair', id: pair.id },
      { rating: body.rating, messageId: String(req.params.messageId) },
    )
    res.status(201).json({ pair: pairJson(pair) })
  })

  router.use(['/api/training', '/api/datasets', '/api/comparisons'], requireStaff(deps.auth), requireAdmin)

  router.get('/api/training/pairs', async (req, res) => {
    const pairs = await deps.training.listPairs(validate(trainingPairQuery, req.query, 'query'))
    res.json({ pairs: pairs.map(pairJson) })
  })

  router.patch('/api/training/pairs/:id', async (req, res) => {
    const body = validate(trainingPairReviewBody, req.body)
    if (body.addToKnowledge && body.status !== 'accepted')
      throw new BadRequest('addToKnowledge: only an accepted pair becomes an FAQ entry')
    const pair = await deps.training.reviewPair(String(req.params.id), signedIn(res).staff.id, body)
    if (!pair) throw new NotFound('no such pair')
    await audit(
      res,
      'training.review',
      { type: 'training_pair', id: pair.id },
      { status: body.status, edited: Boolean(body.question || body.answer) },
    )
    if (body.addToKnowledge) {
      const document = await deps.knowledge.addFaqEntry(pair.botId, pair.question, pair.answer)
      await audit(
        res,
        'knowledge.faq_add',
        { type: 'knowledge_document', id: document.id },
        { botId: pair.botId, title: document.title, question: pair.question, fromPair: pair.id },
      )
    }
    res.json({ pair: pairJson(pair) })
  })

  router.post('/api/datasets', async (req, res) => {
    const recipe = validate(datasetBody, req.body)
    const dataset = await deps.training.createDataset(recipe, signedIn(res).staff.id)
    await audit(res, 'dataset.create', { type: 'dataset', id: dataset.id }, { train: dataset.train, test: dataset.test })
    res.status(201).json({ dataset })
  })

  router.get('/api/datasets', async (_req, res) => {
    const datasets = await deps.training.listDatasets()
    res.json({ datasets: datasets.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })) })
  })

  router.get('/api/datasets/:id/export', async (req, res) => {
    const query = validate(datasetExportQuery, req.query, 'query')
    const exported = await deps.training.exportDataset(String(req.params.id), query.format, query.split, signedIn(res).staff.id)
    if (!exported) throw new NotFound('no such dataset')
    await audit(res, 'dataset.export', { type: 'dataset', id: String(req.params.id) }, { ...query, items: exported.items })
    const filename = `${exported.name.replace(/[^\w.-]+/g, '_') || 'dataset'}-${query.split}-${query.format}.${exported.file.extension}`
    res.setHeader('content-type', exported.file.contentType)
    res.setHeader('content-disposition', `attachment; filename="${filename}"`)
    res.setHeader('cache-control', 'no-store')
    res.send(exported.file.body)
  })

  router.delete('/api/datasets/:id', async (req, res) => {
    if (!(await deps.training.deleteDataset(String(req.params.id)))) throw new NotFound('no such dataset')
    await audit(res, 'dataset.delete', { type: 'dataset', id: String(req.params.id) })
    res.status(204).end()
  })

  router.post('/api/comparisons', async (req, res) => {
    const request = validate(comparisonBody, req.body)
    try {
      const comparison = await deps.comparisons.start(request, signedIn(res).staff.id)
      await audit(
        res,
        'comparison.start',
        { type: 'model_comparison', id: comparison.id },
        { models: request.models, questions: comparison.questions },
      )
      res.status(202).json({ comparison: { ...comparison, status: 'running' } })
    } catch (error) {
      if (error instanceof ComparisonRefused) throw new BadRequest(error.message)
      throw error
    }
  })

  router.get('/api/comparisons', async (_req, res) => {
    res.json({ comparisons: await deps.comparisons.list() })
  })

  router.get('/api/comparisons/:id', async (req, res) => {
    const comparison = await deps.comparisons.get(String(req.params.id))
    if (!comparison) throw new NotFound('no such comparison')
    res.json({ comparison })
  })

  return router
}
