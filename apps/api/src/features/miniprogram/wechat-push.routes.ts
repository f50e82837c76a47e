import express, { Router } from 'express'
import type { Logger } from 'pino'
import type { IngestService } from '@chorus/conversation'
import { mpPushQuery } from '@chorus/protocol'
import { decryptPush, parsePushBody, pushEnvelope, pushMessage, verifyMessageSignature, verifyPushSignature } from '@chorus/wechat-api'
import { BadRequest, HttpError, NotFound, Unauthorized } from '../../http/http-errors.js'
import { containsNul } from '../../http/nul-characters.js'
import { validate } from '../../http/validate.js'
import { customerServicePrefix } from './miniprogram-delivery.js'
import type { MiniProgramRepository } from './miniprogram.repository.js'
import { miniProgramPlatform } from './miniprogram.repository.js'

/**
 * How far a push's signed `timestamp` may be from now. The signature covers the timestamp, so a
 * captured push (URL and body) replayed later is refused; within the window a replay is WeChat's
 * own re-delivery, which the MsgId keeps to one stored message.
 */
export const pushMaxAgeSeconds = 300

/** Refuses a push whose signed timestamp is more than pushMaxAgeSeconds old (or ahead). */
function checkFresh(timestamp: string): void {
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

  router.get('/mp/v1/wechat/push', (req, res) => {
    const query = validate(mpPushQuery, req.query, 'query')
    if (!query.signature || !verifyPushSignature(token(), { signature: query.signature, timestamp: query.timestamp, nonce: query.nonce })) {
      throw new Unauthorized('the signature does not match', 'invalid_signature')
    }
    checkFresh(query.timestamp)
    res.type('text/plain').send(query.echostr ?? '')
  })

  router.post('/mp/v1/wechat/push', express.text({ type: ['text/*', 'application/xml'], limit: '64kb' }), async (req, res) => {
    const query = validate(mpPushQuery, req.query, 'query')
    const raw = typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? {})
    let body: ReturnType<typeof parsePushBody>
    try {
      body = parsePushBody(raw)
    } catch {
      throw new BadRequest('the body is neither WeChat JSON nor XML')
    }
    let fields = body.fields
    if (query.encrypt_type === 'aes') {
      const envelope = pushEnvelope.safeParse(fields)
      if (!envelope.success) throw new BadRequest('a secure-mode message needs Encrypt')
      if (
        !query.msg_signature ||
        !verifyMessageSignature(
          token(),
          { msg_signature: query.msg_signature, timestamp: query.timestamp, nonce: query.nonce },
          envelope.data.Encrypt,
        )
      ) {
        throw new Unauthorized('the message signature does not match', 'invalid_signature')
      }
      if (!deps.aesKey || !deps.appId) throw new HttpError(503, 'not_configured', 'secure mode needs WECHAT_PUSH_AES_KEY and WECHAT_APPID')
      try {
        fields = parsePushBody(decryptPush(deps.aesKey, envelope.data.Encrypt, deps.appId)).fields
      } catch {
        throw new BadRequest('the message could not be decrypted')
      }
    } else if (
      !query.signature ||
      !verifyPushSignature(token(), { signature: query.signature, timestamp: query.timestamp, nonce: query.nonce })
    ) {
      throw new Unauthorized('the signature does not match', 'invalid_signature')
    }
    checkFresh(query.timestamp)
    const message = pushMessage.safeParse(fields)
    if (!message.success) throw new BadRequest('not a customer-service message')
    if (containsNul(message.data)) throw new BadRequest('the message holds a NUL character (U+0000)')
    const m = message.data
    // Events (the user entering the chat, …) need no answer.
    if (m.MsgType !== 'event') {
      const bot = await deps.mpRepo.findBotByName(deps.botName)
      if (!bot) throw new NotFound(`no bot named ${deps.botName}`)
      const outcome = await deps.ingest.ingest({
        botId: bot.id,
        channel: { kind: 'miniprogram', externalId: `${customerServicePrefix}${m.FromUserName}`, title: '' },
        sender: { platform: miniProgramPlatform, platformId: m.FromUserName, displayName: '' },
        platformMessageId: m.MsgId ?? `${m.FromUserName}:${m.CreateTime}`,
        text: m.MsgType === 'text' ? (m.Content ?? '') : '[消息]',
        kind: m.MsgType === 'text' ? 'text' : m.MsgType === 'image' ? 'image' : 'other',
      })
      deps.logger.info({ outcome: outcome.kind, messageId: String(outcome.messageId) }, 'customer-service message received')
    }
    res.type('text/plain').send('success')
  })

  return router
}
