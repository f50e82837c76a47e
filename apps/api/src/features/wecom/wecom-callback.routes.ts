import express, { Router, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import { weComCallbackQuery, type WeComCallbackQuery } from '@chorus/protocol'
import {
  decryptPush,
  findEncrypted,
  maxXmlBytes,
  parseWeChatXml,
  verifyMessageSignature,
  WeChatApiError,
  weComKfNotification,
} from '@chorus/wechat-api'
import { BadRequest, HttpError, NotFound, Unauthorized, UpstreamFailed } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import { checkFresh } from '../miniprogram/wechat-push.routes.js'
import { NoBotForAccount, type WeComKfSync } from './wecom-kf-sync.js'

export interface WeComCallbackDeps {
  /** The callback's Token and EncodingAESKey, and the corp id (its receiver id); null while WeCom is not configured. */
  callback: { token: string; aesKey: string; corpId: string } | null
  sync: WeComKfSync | null
  logger: Logger
}

/**
 * WeCom's callback URL for 微信客服 (`/wecom/kf/callback`, docs/wecom.md): URL verification
 * (GET), then `kf_msg_or_event` notifications (POST). Both are signed over their ciphertext
 * (msg_signature) and AES-encrypted for the corp: the signature is checked before anything is
 * parsed, and only the decrypted message is read, with the same guarded XML parser as WeChat's
 * pushes. A notification's messages are pulled and stored before WeCom hears "success"; when
 * that fails WeCom hears an error and notifies again.
 */
export function weComCallbackRoutes(deps: WeComCallbackDeps): Router {
  const router = Router()
  const callback = () => {
    if (!deps.callback || !deps.sync) {
      throw new NotFound('WeCom customer service is not configured (WECOM_CORP_ID, WECOM_KF_SECRET, WECOM_KF_TOKEN, WECOM_KF_AES_KEY)')
    }
    return deps.callback
  }

  /** The signed ciphertext decrypted for this corp; 401 when the signature does not match, 400 when it does not decrypt. */
  const open = (query: WeComCallbackQuery, encrypted: string): string => {
    const { token, aesKey, corpId } = callback()
    if (!verifyMessageSignature(token, query, encrypted))
      throw new Unauthorized('the message signature does not match', 'invalid_signature')
    checkFresh(query.timestamp)
    try {
      return decryptPush(aesKey, encrypted, corpId)
    } catch {
      throw new BadRequest('the message could not be decrypted')
    }
  }

  router.get('/wecom/kf/callback', (req, res) => {
    const query = validate(weComCallbackQuery, req.query, 'query')
    if (!query.echostr) throw new BadRequest('URL verification needs echostr')
    res.type('text/plain').send(open(query, query.echostr))
  })

  // The query is checked before the body is read.
  const checkQuery: RequestHandler = (req, res, next) => {
    res.locals.weComQuery = validate(weComCallbackQuery, req.query, 'query')
    callback()
    next()
  }

  router.post('/wecom/kf/callback', checkQuery, express.text({ type: () => true, limit: `${maxXmlBytes}b` }), async (req, res) => {
    const query = res.locals.weComQuery as WeComCallbackQuery
    const encrypted = findEncrypted(typeof req.body === 'string' ? req.body : '')
    if (!encrypted) throw new BadRequest('a WeCom callback needs Encrypt')
    const plain = open(query, encrypted)
    let fields: Record<string, unknown>
    try {
      fields = parseWeChatXml(plain)
    } catch {
      throw new BadRequest('the decrypted message is not WeCom XML')
    }
    const notification = weComKfNotification.safeParse(fields)
    // Other events of the corp's callback (an account authorised, …) need nothing from Chorus.
    if (!notification.success) {
      res.type('text/plain').send('success')
      return
    }
    const { OpenKfId: openKfId, Token: token } = notification.data
    try {
      const stored = await deps.sync!.pull(openKfId, token)
      deps.logger.info({ openKfId, stored }, 'WeCom messages pulled')
    } catch (error) {
      deps.logger.error({ err: error, openKfId }, 'WeCom messages not pulled; WeCom will notify again')
      if (error instanceof NoBotForAccount) throw new HttpError(503, 'no_bot', error.message)
      if (error instanceof WeChatApiError) throw new UpstreamFailed(`WeCom sync_msg failed: ${error.errcode}`)
      throw error
    }
    res.type('text/plain').send('success')
  })

  return router
}
