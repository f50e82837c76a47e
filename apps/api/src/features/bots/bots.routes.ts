import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import QRCode from 'qrcode'
import type { Prisma } from '@chorus/db'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import { citation, planAnswer, type ConversationKeys, type KnowledgeLookup } from '@chorus/conversation'
import type { RedisClient } from '@chorus/redis'
import {
  botSettings,
  createBotBody,
  testChatBody,
  updateBotBody,
  weChatAccount,
  weChatLogin,
  type BotListResponse,
  type BotResponse,
  type BotView,
  type TestChatResponse,
  type WeChatStatusResponse,
} from '@chorus/protocol'
import { BadRequest, Conflict, NotFound, UpstreamFailed } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import { isUniqueViolation } from '../staff/staff.repository.js'
import type { BotRow, BotsRepository } from './bots.repository.js'

export interface BotsRoutesDeps {
  auth: AuthService
  botsRepo: BotsRepository
  audit: AuditTrail
  dispatcher: Dispatcher
  replies: ReplyReader
  redis: RedisClient
  keys: ConversationKeys
  maxReplyTokens: number
  knowledge: KnowledgeLookup
}

/** A bot as the panel shows it: settings with every default filled in. */
function toView(bot: BotRow): BotView {
  const parsed = botSettings.safeParse(bot.settings ?? {})
  return {
    id: bot.id,
    name: bot.name,
    persona: bot.persona,
    enabled: bot.enabled,
    settings: parsed.success ? parsed.data : botSettings.parse({}),
    modelEndpoint: bot.modelEndpoint,
    teams: bot.teams.map((t) => t.team),
    conversations: bot._count.conversations,
    channels: bot._count.channels,
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  }
}

/** Validated full settings, or a 400 naming each bad field. */
function checkedSettings(settings: unknown): Prisma.InputJsonValue {
  return validate(botSettings, settings, 'settings') as Prisma.InputJsonValue
}

/** The admin panel's bot routes (contract: GET/POST /api/bots, PATCH /api/bots/:id), the test chat and WeChat status. */
export function botsRoutes(deps: BotsRoutesDeps): Router {
  const router = Router()
  router.use('/api/bots', requireStaff(deps.auth), requireAdmin)
  const by = (id: string) => ({ type: 'staff' as const, id })

  const load = async (id: string) => {
    const bot = await deps.botsRepo.find(id)
    if (!bot) throw new NotFound('no such bot')
    return bot
  }

  router.get('/api/bots', async (_req, res) => {
    res.json({ bots: (await deps.botsRepo.list()).map(toView) } satisfies BotListResponse)
  })

  router.get('/api/bots/:id', async (req, res) => {
    res.json({ bot: toView(await load(req.params.id)) } satisfies BotResponse)
  })

  router.post('/api/bots', async (req, res) => {
    const body = validate(createBotBody, req.body)
    if (body.modelEndpointId && !(await deps.botsRepo.endpointExists(body.modelEndpointId)))
      throw new BadRequest('modelEndpointId: no such model endpoint')
    try {
      const bot = await deps.botsRepo.create({ ...body, settings: checkedSettings(body.settings) })
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'bot.create',
        target: { type: 'bot', id: bot.id },
        data: { name: bot.name },
      })
      res.status(201).json({ bot: toView(bot) } satisfies BotResponse)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`a bot named ${body.name} exists already`)
      throw error
    }
  })

  router.patch('/api/bots/:id', async (req, res) => {
    const body = validate(updateBotBody, req.body)
    const current = toView(await load(req.params.id))
    if (body.modelEndpointId && !(await deps.botsRepo.endpointExists(body.modelEndpointId)))
      throw new BadRequest('modelEndpointId: no such model endpoint')
    const { settings, ...fields } = body
    try {
      const bot = await deps.botsRepo.update(current.id, {
        ...fields,
        ...(settings ? { settings: checkedSettings({ ...current.settings, ...settings }) } : {}),
      })
      await deps.audit.record({
        actor: by(signedIn(res).staff.id),
        action: 'bot.update',
        target: { type: 'bot', id: bot.id },
        data: { fields: Object.keys(fields), settings: Object.keys(settings ?? {}) },
      })
      res.json({ bot: toView(bot) } satisfies BotResponse)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`a bot named ${body.name} exists already`)
      throw error
    }
  })

  // The live test chat: the bot answering as it does in WeChat (its persona, knowledge, small talk,
  // asking back, its model), without WeChat and without storing anything.
  router.post('/api/bots/:id/test-chat', async (req, res) => {
    const body = validate(testChatBody, req.body)
    const bot = toView(await load(req.params.id))
    const { builtins } = bot.settings.tools
    const toolsAvailable = builtins.searchKnowledge || (await deps.botsRepo.hasMcpTools(bot.id))
    const plan = await planAnswer(deps.knowledge, {
      botId: bot.id,
      botName: bot.name,
      settings: bot.settings,
      // An unsaved persona from the editor can be tried before saving it.
      persona: body.persona ?? bot.persona,
      history: body.messages.map((m) => ({ role: m.role, text: m.content, author: null })),
      budgetTokens: 3000,
      namedSpeakers: false,
      toolsAvailable,
    })
    if (plan.answer !== undefined) {
      res.json({ reply: plan.answer, usage: { promptTokens: 0, completionTokens: 0 } } satisfies TestChatResponse)
      return
    }
    const endpoint = await deps.botsRepo.endpointName(bot.modelEndpoint?.id ?? null)
    const jobId = `test-${randomUUID()}`
    await deps.dispatcher.dispatch(
      jobId,
      {
        // Answered with the bot's tools, as in WeChat (no handoff here: there is no conversation to hand over).
        origin: { kind: 'api', apiKeyId: 'panel-test-chat', asBot: { id: bot.id, language: bot.settings.language } },
        messages: plan.messages,
        ...(plan.engine ? { sources: plan.engine.sources } : {}),
        maxTokens: deps.maxReplyTokens,
        model: endpoint?.enabled ? endpoint.name : '',
        enqueuedAt: Date.now(),
        routing: { fairnessKey: 'panel-test-chat', priorityClass: 'agent_assist' },
      },
      { force: true },
    )
    for await (const event of deps.replies.read(jobId, { timeoutMs: 60_000 })) {
      if (event.type === 'done') {
        const { appended } = citation(event.cited, plan.engine?.sources, bot.settings.language)
        res.json({
          reply: event.text + appended,
          usage: { promptTokens: event.promptTokens, completionTokens: event.completionTokens },
          ...(event.toolCalls ? { toolCalls: event.toolCalls } : {}),
        } satisfies TestChatResponse)
        return
      }
      if (event.type === 'error') throw new UpstreamFailed(`the model could not answer (${event.code})`)
    }
    throw new UpstreamFailed('the model did not answer in time')
  })

  // The bot's WeChat account: logged in as whom, or the QR code to scan (the bot process keeps both in Redis).
  router.get('/api/bots/:id/wechat', async (req, res) => {
    const bot = await load(req.params.id)
    const [qr, account] = await Promise.all([deps.redis.get(deps.keys.bot(bot.id, 'qr')), deps.redis.get(deps.keys.bot(bot.id, 'account'))])
    // What the bot process wrote, read as it writes it; anything else is as good as nothing.
    const login = qr ? weChatLogin.safeParse(JSON.parse(qr)).data : undefined
    const loggedIn = account ? weChatAccount.safeParse(JSON.parse(account)).data : undefined
    // The QR code drawn here, so the login link never goes to an outside QR service.
    const image = login ? await QRCode.toDataURL(login.url, { margin: 1, width: 240 }) : undefined
    res.json({
      status: loggedIn ? 'logged_in' : login ? 'scan_qr' : 'offline',
      account: loggedIn ?? null,
      qr: login && image ? { ...login, image } : null,
    } satisfies WeChatStatusResponse)
  })

  return router
}
