import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Logger } from 'pino'
import { builtinTools, conversationServices, PromptPreparer, RecoverySweep, type ReplyScreen, type ToolSource } from '@chorus/conversation'
import { createDb } from '@chorus/db'
import type { Engine } from '@chorus/llm'
import { knowledgeFromConfig, knowledgeLookup } from '@chorus/knowledge'
import { wechatFromConfig, weComKfFromConfig, WeComServicersHandoff } from '@chorus/wechat-api'
import { PoolWorker } from '@chorus/pool'
import { ConversationKeys } from '@chorus/conversation'
import { connectRedis, redisTarget } from '@chorus/redis'
import { BotTools, McpConnections, toolCallAuditEntry } from '@chorus/tools'
import type { WorkerConfig } from './config.js'
import { EndpointReplicas } from './endpoint-replicas.js'
import { ModelEndpointsRepository } from './model-endpoints.repository.js'
import { engineForEndpoint } from './select-engine.js'

export interface RunningWorker {
  worker: PoolWorker
  stop(): Promise<void>
}

/** Starts one pool worker driving `engine`; prompts are built and replies stored through the conversation package. */
export async function startWorker(
  config: WorkerConfig,
  engine: Engine,
  logger: Logger,
  /**
   * `endpoints: false` drives only `engine`, not the model endpoints from the panel. `secrets`:
   * where `${NAME}` in an MCP server's headers is read (by default this process's environment).
   */
  options: { replicaId?: string; endpoints?: boolean; endpointsIntervalMs?: number; secrets?: NodeJS.ProcessEnv } = {},
): Promise<RunningWorker> {
  const db = createDb(config.DATABASE_URL, {
    poolSize: config.CHORUS_DB_POOL_SIZE ?? 5,
    preparedStatements: config.CHORUS_DB_PREPARED_STATEMENTS,
  })
  const redis = connectRedis(redisTarget(config), { name: 'chorus-worker-replies' })
  const keys = new ConversationKeys(config.CHORUS_REDIS_PREFIX)
  // Content security of the model's replies to mini-program users, when configured.
  const wechat = wechatFromConfig(config, redis, keys, {
    onFailure: (error) => logger.warn({ errcode: error.errcode }, 'content check failed'),
    onUnchecked: (reason) => logger.info({ reason }, 'content not checked: WeChat cannot check text for this user'),
  })
  const screen: ReplyScreen | undefined = wechat?.contentCheck
    ? async (target, text) => {
        if (target.channelKind !== 'miniprogram') return null
        const user = await services.repo.endUserOf(target.conversationId)
        return user ? wechat.contentCheck!.check(user.platformId, text) : null
      }
    : undefined
  // A failing bot set to hand WeCom customers to WeCom's own servicers does so from here.
  const weCom = weComKfFromConfig(config, redis, keys)
  const channelHandoff = weCom
    ? new WeComServicersHandoff(weCom, {
        onHandedOver: (conversationId) => logger.info({ conversationId }, 'WeCom session handed to the servicers’ queue'),
        onRefused: (conversationId, error) =>
          logger.warn({ err: error, conversationId }, 'WeCom refused the handoff to its servicers: asking Chorus’s agents'),
      })
    : undefined
  // The dispatcher here cancels a conversation's queued prompts when a failing bot hands it to a person.
  const services = conversationServices({
    db,
    redis,
    keys,
    logger,
    maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS,
    screen,
    channelHandoff,
  })
  const { repo, bots, replies, dispatcher, handoff } = services
  const knowledge = knowledgeLookup(knowledgeFromConfig(db, config, logger))
  // The tools a bot's model may call (docs/tools.md): built-ins and the MCP servers allowed in the panel.
  const mcp = new McpConnections(options.secrets ?? process.env)
  const botTools = new BotTools(db, mcp, builtinTools({ bots, handoff, knowledge }))
  const tools: ToolSource = {
    toolset: (target, settings) => botTools.toolset(target, settings),
    audit: async (target, call) => {
      logger.info({ ...target, tool: call.tool, server: call.server, status: call.status, ms: call.ms }, 'tool called')
      // A failed write is logged, not thrown: the answer, and the call already made, stand.
      await db.auditLog
        .create({ data: toolCallAuditEntry(target, call) })
        .catch((error: unknown) => logger.error({ err: error, ...target, tool: call.tool }, 'tool call not written to the audit log'))
    },
    // A bot deleted since the test chat asked has no tools to offer.
    settingsOf: (botId) =>
      bots
        .get(botId)
        .then((bot) => bot.settings)
        .catch(() => null),
  }
  const preparer = new PromptPreparer(
    repo,
    { contextTokens: config.CHORUS_CONTEXT_TOKENS, maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS },
    knowledge,
    tools,
  )
  const workerFor = (engine: Engine, replica: { replicaId?: string; poolModel?: string; concurrency: number }) =>
    new PoolWorker({
      redis: redisTarget(config),
      keys,
      engine,
      concurrency: replica.concurrency,
      logger,
      replicaId: replica.replicaId,
      poolModel: replica.poolModel,
      maxQueueWaitMs: config.CHORUS_MAX_QUEUE_WAIT_MS,
      generationTimeoutMs: config.CHORUS_GENERATION_TIMEOUT_MS,
      firstTokenTimeoutMs: config.CHORUS_FIRST_TOKEN_TIMEOUT_MS,
      prepare: (job, engine) => preparer.prepare(job, engine),
      onComplete: async (job, prepared, result) => {
        const recorded = await replies.recordReply(job, prepared, result)
        // A tool handed the conversation over: the user was told first, then a person is assigned.
        if (prepared.context?.tools?.handedOver && job.origin.kind === 'conversation') await handoff.assign(job.origin.conversationId)
        // Not confident (nothing in the knowledge base): counts towards handing over to a person.
        if (prepared.context?.confident === false && job.origin.kind === 'conversation')
          await handoff.afterFailure(job.origin.conversationId)
        return recorded
      },
      onFailure: async (job, prepared, error) => {
        await replies.recordFailure(job, prepared, error)
        // Small talk the model could not answer is no failed answer either.
        if (job.origin.kind === 'conversation' && !prepared?.context?.smallTalk) await handoff.afterFailure(job.origin.conversationId)
      },
    })
  const worker = workerFor(engine, { replicaId: options.replicaId, concurrency: config.CHORUS_WORKER_CONCURRENCY })
  await worker.start()
  // Questions and replies that Redis lost (a restart without persistence) are put back from PostgreSQL.
  const recovery = new RecoverySweep({ repo, bots, dispatcher, redis, keys, logger, maxReplyTokens: config.CHORUS_MAX_REPLY_TOKENS })
  await recovery.start()
  // The model endpoints added in the panel, beside the one configured in the environment.
  const endpoints =
    options.endpoints === false
      ? undefined
      : new EndpointReplicas({
          endpoints: new ModelEndpointsRepository(db),
          redis,
          keys,
          owner: `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`,
          engineFor: engineForEndpoint,
          workerFor,
          logger,
          intervalMs: options.endpointsIntervalMs ?? 3000,
        })
  await endpoints?.start()
  logger.info(
    { engine: engine.kind, model: engine.model, concurrency: config.CHORUS_WORKER_CONCURRENCY, replicaId: worker.id },
    'worker started',
  )
  return {
    worker,
    async stop() {
      await recovery.stop()
      await endpoints?.stop()
      await worker.close()
      await dispatcher.close()
      await engine.close()
      await mcp.close()
      redis.disconnect()
      await db.$disconnect()
    },
  }
}
