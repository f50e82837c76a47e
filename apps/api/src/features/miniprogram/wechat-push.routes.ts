import express, { Router, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { IngestService } from '@chorus/conversation'
import { mpPushQuery, type MpPushQuery } from '@chorus/protocol'
import {
  decryptPush,
  findEncrypted,
  maxXmlBytes,
  parsePushBody,
  pushMessage,
  verifyMessageSignature,
  verifyPushSignature,
  type ContentCheck,
} from '@chorus/wechat-api'
import { BadRequest, HttpError, NotFound, Unauthorized } from '../../http/http-errors.js'
import { containsNul } from '../../http/nul-characters.js'
import { validate } from '../../http/validate.js'
import { customerServicePrefix } from './miniprogram-delivery.js'
import { screenText } from './screen-text.js'
import type { MiniProgramRepository } from './miniprogram.repository.js'
import { miniProgramPlatform } from './miniprogram.repository.js'

/**
 * How far a push's signed `timestamp` may be from now. The signature covers the timestamp, so a
 * captured push (URL and body) replayed later is refused; within the window a replay is WeChat's
 * own re-delivery, which the MsgId keeps to one stored message.
 */
export const pushMaxAgeSeconds = 300

/** Refuses a push whose signed timestamp is more than pushMaxAgeSeconds old (or ahead). */
export function checkFresh(timestamp: string): void {
  const skew = Math.abs(Date.now() / 1000 - Number(timestamp))
  if (skew > pushMaxAgeSeconds) {
    throw new Unauthorized(`the push is more than ${pushMaxAgeSeconds / 60} minutes old or ahead: refused as a replay`, 'stale_timestamp')
  }
}

export interface WeChatPushDeps {
  ingest: IngestService
  mpRepo: MiniProgramRepository
  pushToken: string | undefined
  aesKey: string | undefined
  appId: string | undefined
  /** The bot that answers customer-service messages. */
  botName: string
  /** msg_sec_check for what users write (WECHAT_CONTENT_CHECK); null when off. */
  contentCheck: ContentCheck | null
  logger: Logger
}

/**
 * WeChat's customer-service message push (`/mp/v1/wechat/push`): URL verification, then
 * messages in plaintext or secure (AES) mode, JSON or XML. A message is stored before WeChat
 * hears "success"; a re-delivered MsgId is stored once; the reply goes out later by custom/send.
 */
export function weChatPushRoutes(deps: WeChatPushDeps): Router {
  const router = Router()
  const token = () => {
    if (!deps.pushToken) throw new NotFound('message push is not configured (WECHAT_PUSH_TOKEN)')
    return deps.pushToken
  }

  /** The plaintext `signature` (token, timestamp, nonce): the URL verification's, and a plaintext push's. */
  const checkSignature = (query: MpPushQuery) => {
    if (!query.signature || !verifyPushSignature(token(), { signature: query.signature, timestamp: query.timestamp, nonce: query.nonce })) {
      throw new Unauthorized('the signature does not match', 'invalid_signature')
    }
  }

  router.get('/mp/v1/wechat/push', (req, res) => {
    const query = validate(mpPushQuery, req.query, 'query')
    checkSignature(query)
    checkFresh(query.timestamp)
    res.type('text/plain').send(query.echostr ?? '')
  })

  /**
   * Authenticates a push from its query alone, before the body is read: in plaintext mode the
   * `signature`; with an AES key configured, only secure-mode pushes (their `msg_signature`
   * covers the ciphertext and is checked next, before anything is parsed). A plaintext push is
   * then refused even with a valid signature: no downgrade from the mode the operator chose.
   */
  const authenticateQuery: RequestHandler = (req, res, next) => {
    const query = validate(mpPushQuery, req.query, 'query')
    token() // 404 while message push is not configured, whatever the mode
    const secure = query.encrypt_type === 'aes'
    if (deps.aesKey && !secure) throw new Unauthorized('this push URL accepts encrypted (secure-mode) messages only', 'encryption_required')
    if (secure) {
      if (!deps.aesKey || !deps.appId) throw new HttpError(503, 'not_configured', 'secure mode needs WECHAT_PUSH_AES_KEY and WECHAT_APPID')
      if (!query.msg_signature) throw new Unauthorized('a secure-mode push needs msg_signature', 'invalid_signature')
    } else {
      checkSignature(query)
    }
    checkFresh(query.timestamp)
    res.locals.pushQuery = query
    next()
  }

  router.post('/mp/v1/wechat/push', authenticateQuery, express.text({ type: () => true, limit: `${maxXmlBytes}b` }), async (req, res) => {
    const query = res.locals.pushQuery as MpPushQuery
    const raw = typeof req.body === 'string' ? req.body : ''
    let plain = raw
    if (query.encrypt_type === 'aes') {
      const encrypted = findEncrypted(raw)
      if (!encrypted) throw new BadRequest('a secure-mode message needs Encrypt')
      const signature = { msg_signature: query.msg_signature!, timestamp: query.timestamp, nonce: query.nonce }
      if (!verifyMessageSignature(token(), signature, encrypted)) {
        throw new Unauthorized('the message signature does not match', 'invalid_signature')
      }
      try {
        plain = decryptPush(deps.aesKey!, encrypted, deps.appId!)
      } catch {
        throw new BadRequest('the message could not be decrypted')
      }
    }
    let fields: Record<string, unknown>
    try {
      fields = parsePushBody(plain).fields
    } catch {
      throw new BadRequest('the body is neither WeChat JSON nor XML')
    }
    const message = pushMessage.safeParse(fields)
    if (!message.success) throw new BadRequest('not a customer-service message')
    if (containsNul(message.data)) throw new BadRequest('the message holds a NUL character (U+0000)')
    const m = message.data
    // Events (the user entering the chat, …) need no answer.
    if (m.MsgType !== 'event') {
      const bot = await deps.mpRepo.findBotByName(deps.botName)
      if (!bot) throw new NotFound(`no bot named ${deps.botName}`)
      const text = m.MsgType === 'text' ? (m.Content ?? '') : '[消息]'
      // Checked like the mini-program's own chat: risky text is stored, refused and never answered.
      const screening = m.MsgType === 'text' ? await screenText(deps.contentCheck, m.FromUserName, text) : undefined
      const outcome = await deps.ingest.ingest({
        botId: bot.id,
        channel: { kind: 'miniprogram', externalId: `${customerServicePrefix}${m.FromUserName}`, title: '' },
        sender: { platform: miniProgramPlatform, platformId: m.FromUserName, displayName: '' },
        platformMessageId: m.MsgId ?? `${m.FromUserName}:${m.CreateTime}`,
        text,
        kind: m.MsgType === 'text' ? 'text' : m.MsgType === 'image' ? 'image' : 'other',
        ...(screening ? { screening } : {}),
      })
      deps.logger.info({ outcome: outcome.kind, messageId: String(outcome.messageId) }, 'customer-service message received')
    }
    res.type('text/plain').send('success')
  })

  return router
}
