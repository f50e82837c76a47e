import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import type { IngestOutcome, IngestService } from '@chorus/conversation'
import { promptJobId } from '@chorus/conversation'
import type { ApiRedisKeys } from '../../redis-keys.js'
import type { RedisClient } from '@chorus/redis'
import { messageIdText, mpHistoryQuery, mpLoginBody, mpMessageBody, mpSubscriptionBody } from '@chorus/protocol'
import type { ContentCheck } from '@chorus/wechat-api'
import { startEventStream, writeEvent } from '../../http/event-stream.js'
import { HttpError, NotFound, RateLimited } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import { miniProgramUser, type MiniProgramAuth, type MiniProgramUser } from './miniprogram-auth.js'
import type { MiniProgramLiveHub } from './miniprogram-live-hub.js'
import { screenText } from './screen-text.js'
import { miniProgramPlatform, type MiniProgramRepository } from './miniprogram.repository.js'
import { toMpMessage, type ChatEvent, type ReplyWaiter } from './reply-waiter.js'

export interface MiniProgramRoutesDeps {
  mpAuth: MiniProgramAuth
  mpRepo: MiniProgramRepository
  ingest: IngestService
  waiter: ReplyWaiter
  contentCheck: ContentCheck | null
  mpHub: MiniProgramLiveHub
  redis: RedisClient
  keys: ApiRedisKeys
  logger: Logger
}

const pingMs = 15_000
const onlineTtlSeconds = 45

/** The mini-program API (`/mp/v1`, docs/miniprogram.md): login, chat with streaming, history, handoff, live messages. */
export function miniProgramRoutes(deps: MiniProgramRoutesDeps): Router {
  const router = Router()
  const signedIn = deps.mpAuth.middleware()

  router.post('/mp/v1/login', async (req, res) => {
    const body = validate(mpLoginBody, req.body)
    res.json(await deps.mpAuth.login(body.code, body.bot))
  })

  /** Stores the user's text (after the content check) and lets the conversation package decide. */
  const ingest = async (user: MiniProgramUser, text: string, id: string | undefined, meta?: Record<string, unknown>) => {
    const screening = await screenText(deps.contentCheck, user.openid, text)
    return deps.ingest.ingest({
      botId: user.botId,
      channel: { kind: 'miniprogram', externalId: user.openid, title: '' },
      sender: { platform: miniProgramPlatform, platformId: user.openid, displayName: '' },
      platformMessageId: id ?? randomUUID(),
      text,
      ...(screening ? { screening } : {}),
      ...(meta ? { meta } : {}),
    })
  }

  /** What answers an ingested message, as chat events. */
  async function* answer(outcome: IngestOutcome, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    if (outcome.kind === 'queued') {
      yield* deps.waiter.wait(outcome.messageId, outcome.jobId, signal)
      return
    }
    if (outcome.kind === 'for_person') {
      yield { type: 'done', message: null, handledBy: 'agent' }
      return
    }
    const decision = await deps.mpRepo.decision(outcome.messageId)
    if (decision?.reply) {
      yield { type: 'done', message: toMpMessage(decision.reply), handledBy: 'bot' }
      return
    }
    if (outcome.kind === 'duplicate' && decision?.status === 'queued') {
      // A retry of a message still being answered: follow the same answer.
      yield* deps.waiter.wait(outcome.messageId, promptJobId(outcome.messageId), signal)
      return
    }
    if (outcome.kind === 'ignored') {
      yield { type: 'error', code: 'unavailable', message: 'the assistant is not available right now' }
      return
    }
    yield { type: 'done', message: null, handledBy: decision?.status === 'delivered' ? 'agent' : 'bot' }
  }

  /** Answers as server-sent events (`Accept: text/event-stream`) or as one JSON body. */
  const respond = async (req: Request, res: Response, outcome: IngestOutcome) => {
    if (outcome.kind === 'busy')
      throw new RateLimited(`too many messages; try again in ${outcome.retryAfterSeconds} s`, outcome.retryAfterSeconds)
    const gone = new AbortController()
    res.on('close', () => gone.abort())
    const messageId = String(outcome.messageId)
    if ((req.get('accept') ?? '').includes('text/event-stream')) {
      startEventStream(res)
      for await (const event of answer(outcome, gone.signal)) {
        if (event.type === 'delta') writeEvent(res, 'delta', { text: event.text })
        else if (event.type === 'done') writeEvent(res, 'done', { messageId, reply: event.message, handledBy: event.handledBy })
        else writeEvent(res, 'error', { messageId, code: event.code, message: event.message })
      }
      res.end()
      return
    }
    let final: ChatEvent | undefined
    for await (const event of answer(outcome, gone.signal)) if (event.type !== 'delta') final = event
    if (!final || final.type === 'error') {
      throw new HttpError(
        final?.code === 'timeout' ? 504 : 502,
        final?.code ?? 'failed',
        final?.type === 'error' ? final.message : 'no answer',
      )
    }
    if (final.type === 'done') res.json({ messageId, reply: final.message, handledBy: final.handledBy })
  }

  router.post('/mp/v1/messages', signedIn, async (req, res) => {
    const body = validate(mpMessageBody, req.body)
    await respond(req, res, await ingest(miniProgramUser(res), body.text, body.id))
  })

  router.get('/mp/v1/messages', signedIn, async (req, res) => {
    const query = validate(mpHistoryQuery, req.query, 'query')
    const user = miniProgramUser(res)
    const rows = await deps.mpRepo.history(user.endUserId, user.botId, user.openid, {
      before: query.before ? BigInt(query.before) : undefined,
      limit: query.limit,
    })
    res.json({ messages: rows.reverse().map(toMpMessage), hasMore: rows.length === query.limit })
  })

  router.get('/mp/v1/messages/:id', signedIn, async (req, res) => {
    const raw = String(req.params.id)
    const id = messageIdText.safeParse(raw).success ? BigInt(raw) : null
    const user = miniProgramUser(res)
    const message = id === null ? null : await deps.mpRepo.ownMessage(user.endUserId, user.botId, user.openid, id)
    if (!message) throw new NotFound('no such message in your conversation')
    res.json({ message: toMpMessage(message) })
  })

  // The "talk to a person" button: the same as typing /human, so it is stored and answered alike.
  router.post('/mp/v1/handoff', signedIn, async (req, res) => {
    await respond(req, res, await ingest(miniProgramUser(res), '/human', undefined, { button: 'handoff' }))
  })

  router.post('/mp/v1/subscriptions', signedIn, async (req, res) => {
    const body = validate(mpSubscriptionBody, req.body)
    const user = miniProgramUser(res)
    if (body.accepted) await deps.mpRepo.grant(user.endUserId, body.templateId)
    const grants = await deps.mpRepo.remainingGrants(user.endUserId, body.templateId)
    res.json({ templateId: body.templateId, remaining: grants?.remaining ?? 0 })
  })

  // The app's live stream: agents' replies and notices while it is open, and typing.
  router.get('/mp/v1/events', signedIn, async (req, res) => {
    const user = miniProgramUser(res)
    const online = deps.keys.miniProgramOnline(user.endUserId)
    await deps.redis.set(online, '1', 'EX', onlineTtlSeconds)
    // Gone while we waited: the close event has passed, so nothing below would ever be cleaned up.
    if (req.destroyed) {
      await deps.redis.del(online)
      return
    }
    const remove = deps.mpHub.add(user.openid, res)
    startEventStream(res)
    res.write(': connected\n\n')
    const ping = setInterval(() => {
      writeEvent(res, 'ping', {})
      deps.redis
        .set(online, '1', 'EX', onlineTtlSeconds)
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not refreshed'))
    }, pingMs)
    req.on('close', () => {
      clearInterval(ping)
      remove()
      deps.redis.del(online).catch((error: unknown) => deps.logger.warn({ err: error }, 'presence not cleared'))
    })
  })

  return router
}
