import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import express, { type Express } from 'express'
import type { Logger } from 'pino'
import type { Db } from '@chorus/db'
import { createSimulatorRouter, defaultSimulatorParams, SimulatedReplica, type SimulatorParams } from '@chorus/inference-simulator'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import type { ApiRedisKeys } from './redis-keys.js'
import type { RedisClient } from '@chorus/redis'
import type { WeComKfClient } from '@chorus/wechat-api'
import type { AgentPresence, HandoffService } from '@chorus/conversation'
import type { ApiKeysRepository } from './features/api-keys/api-keys.repository.js'
import { apiKeysRoutes } from './features/api-keys/api-keys.routes.js'
import type { AuditTrail } from './features/audit/audit-trail.js'
import { auditRoutes } from './features/audit/audit.routes.js'
import type { AuthRepository } from './features/auth/auth.repository.js'
import type { BotsRepository } from './features/bots/bots.repository.js'
import { botsRoutes } from './features/bots/bots.routes.js'
import type { ModelEndpointsRepository } from './features/model-endpoints/model-endpoints.repository.js'
import { modelEndpointsRoutes } from './features/model-endpoints/model-endpoints.routes.js'
import type { PoolHistory } from './features/pool/pool-history.js'
import { poolRoutes } from './features/pool/pool.routes.js'
import type { DataProtectionRepository } from './features/data-protection/data-protection.repository.js'
import { dataProtectionRoutes } from './features/data-protection/data-protection.routes.js'
import { isKnowledgeDocumentPost, knowledgeRoutes } from './features/knowledge/knowledge.routes.js'
import { knowledgeLookup, type KnowledgeBase } from '@chorus/knowledge'
import type { RetentionJob } from './features/data-protection/retention-job.js'
import { authRoutes } from './features/auth/auth.routes.js'
import type { AuthService } from './features/auth/auth.service.js'
import type { AssistService } from './features/conversations/assist.service.js'
import type { ConversationsRepository } from './features/conversations/conversations.repository.js'
import { conversationsRoutes } from './features/conversations/conversations.routes.js'
import { healthRoutes } from './features/health/health.routes.js'
import type { LiveHub } from './features/live/live-hub.js'
import { liveRoutes } from './features/live/live.routes.js'
import { statsRoutes } from './features/metrics/stats.routes.js'
import { miniProgramRoutes, type MiniProgramRoutesDeps } from './features/miniprogram/miniprogram.routes.js'
import { weChatPushRoutes, type WeChatPushDeps } from './features/miniprogram/wechat-push.routes.js'
import { weComAdminRoutes } from './features/wecom/wecom-admin.routes.js'
import { weComCallbackRoutes, type WeComCallbackDeps } from './features/wecom/wecom-callback.routes.js'
import type { WeComKfRepository } from './features/wecom/wecom-kf.repository.js'
import type { StaffRepository } from './features/staff/staff.repository.js'
import { staffRoutes } from './features/staff/staff.routes.js'
import { metricsRoutes } from './features/metrics/metrics.routes.js'
import type { ApiKeys } from './features/openai/api-keys.js'
import { defaultBotGrounding } from './features/openai/knowledge-grounding.js'
import { openAIRoutes } from './features/openai/openai.routes.js'
import { simulatorRoutes } from './features/simulator/simulator.routes.js'
import { ModelComparisons } from './features/training/model-comparisons.js'
import { TrainingRepository } from './features/training/training.repository.js'
import { trainingRoutes } from './features/training/training.routes.js'
import type { McpServersRepository } from './features/tools/mcp-servers.repository.js'
import { mcpServersRoutes } from './features/tools/mcp-servers.routes.js'
import type { McpToolLister } from './features/tools/mcp-tool-listing.js'
import type { FleetSignals } from './fleet/fleet-signals.js'
import { cors } from './http/cors.js'
import { errorHandler, notFoundHandler } from './http/error-middleware.js'
import { rejectNulCharacters } from './http/nul-characters.js'
import { securityHeaders } from './http/security-headers.js'

/** The services behind the staff API (agent console, admin panel), wired in startApi. */
export interface StaffServices {
  auth: AuthService
  authRepo: AuthRepository
  audit: AuditTrail
  conversations: ConversationsRepository
  staffRepo: StaffRepository
  handoff: HandoffService
  assist: AssistService
  presence: AgentPresence
  hub: LiveHub
  /** Tells every API process that a member of staff's access changed or a `/v1` key was revoked. */
  signals: FleetSignals
  botsRepo: BotsRepository
  endpointsRepo: ModelEndpointsRepository
  apiKeysRepo: ApiKeysRepository
  dataRepo: DataProtectionRepository
  retention: RetentionJob
  knowledge: KnowledgeBase
  mcpServersRepo: McpServersRepository
  /** Asks an MCP server for its tools (when one is connected or refreshed). */
  listTools: McpToolLister
}

export interface AppDeps {
  db: Db
  redis: RedisClient
  /** The WeChat simulator's API's own connection (its traffic stands in for WeChat's); `redis` by default. */
  simulatorRedis?: RedisClient
  keys: ApiRedisKeys
  dispatcher: Dispatcher
  replies: ReplyReader
  /** Keys accepted by /v1. */
  apiKeys: ApiKeys
  maxTokensLimit: number
  /** The longest reply a bot writes (the panel's test chat). */
  maxReplyTokens: number
  logger: Logger
  /** Serve the inference simulator at /simulator/v1 (when no model is configured). */
  inferenceSimulator?: Partial<SimulatorParams>
  staff: StaffServices
  miniProgram: Omit<MiniProgramRoutesDeps, 'redis' | 'keys' | 'logger'> & Omit<WeChatPushDeps, 'ingest' | 'mpRepo' | 'logger'>
  /** WeCom customer service: its callback (`/wecom/kf/callback`) and the panel's view; absent: not configured. */
  weCom?: WeComCallbackDeps & { admin: { client: WeComKfClient; repo: WeComKfRepository } | null }
  /** The pool's readings of the last five minutes (the dashboard's charts). */
  poolHistory: PoolHistory
  /** The built web panel; served at / when present. */
  webDist?: string
  /** Origins allowed to call the API from a browser (CHORUS_CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[]
}

export const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url))

/** Builds the HTTP application: every route of the contract, one error shape. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  // `<`, `>` and `&` in JSON as \u003c…: a JSON answer holding user text can never be read as HTML.
  app.set('json escape', true)
  app.use(securityHeaders())
  app.use(cors(deps.corsOrigins ?? []))
  if (deps.inferenceSimulator) {
    app.use('/simulator', createSimulatorRouter(new SimulatedReplica({ ...defaultSimulatorParams, ...deps.inferenceSimulator })))
  }
  app.use(
    openAIRoutes({
      ...deps,
      replyTimeoutMs: 300_000,
      maxTokensLimit: deps.maxTokensLimit,
      embeddings: deps.staff.knowledge.embeddings,
      grounding: defaultBotGrounding(deps.db, knowledgeLookup(deps.staff.knowledge), deps.miniProgram.botName),
    }),
  )
  const miniProgram = { ...deps.miniProgram, redis: deps.redis, keys: deps.keys, logger: deps.logger }
  // WeChat's pushes are authenticated before their body is read, and read as text (a 64-bit MsgId
  // must never pass through JSON.parse): before the JSON parser.
  app.use(weChatPushRoutes(miniProgram))
  app.use(weComCallbackRoutes(deps.weCom ?? { callback: null, sync: null, logger: deps.logger }))
  // Pasted knowledge documents are larger: their route parses its body itself, after sign-in.
  const json = express.json({ limit: '256kb' })
  app.use((req, res, next) => (isKnowledgeDocumentPost(req) ? next() : json(req, res, next)))
  app.use(rejectNulCharacters)
  app.use(healthRoutes(deps))
  app.use(metricsRoutes(deps))
  app.use(simulatorRoutes({ redis: deps.simulatorRedis ?? deps.redis, keys: deps.keys }))
  const services = { ...deps.staff, db: deps.db, logger: deps.logger }
  app.use(authRoutes(services))
  const training = new TrainingRepository(deps.db)
  app.use(conversationsRoutes({ ...services, training }))
  app.use(staffRoutes(services))
  app.use(apiKeysRoutes({ ...services, apiKeys: deps.apiKeys }))
  app.use(auditRoutes(services))
  app.use(liveRoutes(services))
  app.use(statsRoutes(services))
  const admin = {
    ...services,
    dispatcher: deps.dispatcher,
    replies: deps.replies,
    redis: deps.redis,
    keys: deps.keys,
    maxReplyTokens: deps.maxReplyTokens,
    poolHistory: deps.poolHistory,
  }
  // The test chat answers as WeChat does: from the bot's knowledge, through the same decision.
  app.use(botsRoutes({ ...admin, knowledge: knowledgeLookup(deps.staff.knowledge) }))
  app.use(modelEndpointsRoutes(admin))
  app.use(poolRoutes(admin))
  app.use(dataProtectionRoutes(admin))
  app.use(weComAdminRoutes({ ...services, weCom: deps.weCom?.admin ?? null }))
  app.use(knowledgeRoutes(admin))
  app.use(mcpServersRoutes(services))
  const comparisons = new ModelComparisons({
    db: deps.db,
    dispatcher: deps.dispatcher,
    replies: deps.replies,
    knowledge: knowledgeLookup(deps.staff.knowledge),
    training,
    logger: deps.logger,
    maxTokens: deps.maxReplyTokens,
  })
  app.use(trainingRoutes({ ...services, training, comparisons }))
  app.use(miniProgramRoutes(miniProgram))
  const webDist = deps.webDist ?? defaultWebDist
  if (existsSync(webDist)) {
    app.use(express.static(webDist, { index: 'index.html', maxAge: '1h' }))
    app.get(/^\/(?!api\/|v1\/|mp\/|simulator\/|metrics|healthz).*/, (_req, res) => res.sendFile('index.html', { root: webDist }))
  }
  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger))
  return app
}
