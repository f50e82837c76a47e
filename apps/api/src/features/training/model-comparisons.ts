import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { KnowledgeLookup } from '@chorus/conversation'
import type { Db, Prisma } from '@chorus/db'
import { evalSets } from '@chorus/knowledge'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import { botSettings, type ComparisonRequest } from '@chorus/protocol'
import {
  casesOf,
  compareModels,
  evalSetCases,
  type ComparisonBot,
  type ComparisonCase,
  type ComparisonResult,
  type ComparisonRow,
} from './model-comparison.js'
import type { TrainingRepository } from './training.repository.js'

/** Why a comparison cannot start. */
export class ComparisonRefused extends Error {
  override readonly name = 'ComparisonRefused'
}

export interface ComparisonPlan {
  source: string
  cases: ComparisonCase[]
  bot?: ComparisonBot
}

/**
 * Model comparisons (docs/datasets.md): what to run (a dataset's test split or an evaluation
 * set, as a bot answers), checked against the models the pool serves now, run in the background
 * with each question's answers stored as they come.
 */
export class ModelComparisons {
  constructor(
    private readonly deps: {
      db: Db
      dispatcher: Dispatcher
      replies: ReplyReader
      knowledge?: KnowledgeLookup
      training: TrainingRepository
      logger: Logger
      maxTokens: number
    },
  ) {}

  /** The questions and the bot of a request; refuses an unknown dataset, set, bot or model. */
  async plan(request: ComparisonRequest): Promise<ComparisonPlan> {
    const served = new Set((await this.deps.dispatcher.registry.live()).map((replica) => replica.model))
    const unknown = [...request.models, ...(request.judge ? [request.judge] : [])].filter((model) => !served.has(model))
    if (unknown.length > 0) {
      throw new ComparisonRefused(
        `the pool serves no model named ${unknown.join(', ')} (it serves: ${[...served].sort().join(', ') || 'none'})`,
      )
    }
    let cases: ComparisonCase[]
    let botId = request.botId
    let source: string
    if (request.datasetId) {
      const dataset = await this.deps.training.examples(request.datasetId, 'test')
      if (!dataset) throw new ComparisonRefused('no such dataset')
      botId ??= dataset.botId ?? undefined
      cases = casesOf(dataset.examples)
      source = request.datasetId
    } else {
      const set = evalSets().find((s) => s.name === request.evalSet)
      if (!set)
        throw new ComparisonRefused(
          `no evaluation set named ${request.evalSet} (there are: ${evalSets()
            .map((s) => s.name)
            .join(', ')})`,
        )
      cases = evalSetCases(set)
      source = `eval:${set.name}`
    }
    if (cases.length === 0) throw new ComparisonRefused('nothing to compare on: the test split holds no answered question')
    const bot = botId ? await this.bot(botId) : undefined
    return { source, cases: cases.slice(0, request.limit), ...(bot ? { bot } : {}) }
  }

  /** Starts a comparison in the background; returns its id at once. */
  async start(request: ComparisonRequest, staffId: string | null): Promise<{ id: string; questions: number }> {
    const plan = await this.plan(request)
    const comparison = await this.deps.db.modelComparison.create({
      data: {
        source: plan.source,
        botId: plan.bot?.id ?? null,
        models: request.models,
        judge: request.judge ?? null,
        questions: plan.cases.length,
        createdById: staffId,
      },
      select: { id: true },
    })
    // Its failure is stored with it (and logged).
    void this.run(comparison.id, plan, request).catch(() => undefined)
    return { id: comparison.id, questions: plan.cases.length }
  }

  /** Runs a planned comparison here and now (the CLI's way). */
  run(
    id: string | null,
    plan: ComparisonPlan,
    request: ComparisonRequest,
    onRow?: (row: ComparisonRow) => void,
  ): Promise<ComparisonResult> {
    const rows: ComparisonRow[] = []
    const running = compareModels(this.deps, {
      runId: id ?? randomUUID(),
      cases: plan.cases,
      models: request.models,
      ...(plan.bot ? { bot: plan.bot } : {}),
      ...(request.judge ? { judge: request.judge } : {}),
      maxTokens: this.deps.maxTokens,
      onRow: async (row) => {
        rows.push(row)
        onRow?.(row)
        if (id) await this.deps.db.modelComparison.update({ where: { id }, data: { rows: rows as unknown as Prisma.InputJsonValue } })
      },
    })
    if (!id) return running
    return running.then(
      async (result) => {
        await this.deps.db.modelComparison.update({
          where: { id },
          data: { status: 'done', summary: result.summary as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
        })
        return result
      },
      async (error: unknown) => {
        this.deps.logger.warn({ err: error, comparisonId: id }, 'model comparison failed')
        await this.deps.db.modelComparison
          .update({ where: { id }, data: { status: 'failed', error: String(error), finishedAt: new Date() } })
          .catch(() => undefined)
        throw error
      },
    )
  }

  list() {
    return this.deps.db.modelComparison.findMany({
      orderBy: { createdAt: 'desc' },
      take: 100,
      select: {
        id: true,
        source: true,
        botId: true,
        models: true,
        judge: true,
        status: true,
        questions: true,
        summary: true,
        createdAt: true,
      },
    })
  }

  get(id: string) {
    return this.deps.db.modelComparison.findUnique({ where: { id } })
  }

  private async bot(id: string): Promise<ComparisonBot> {
    const bot = await this.deps.db.bot.findUnique({ where: { id }, select: { id: true, name: true, persona: true, settings: true } })
    if (!bot) throw new ComparisonRefused('no such bot')
    return { ...bot, settings: botSettings.parse(bot.settings) }
  }
}
