import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { encryptPush, messageSignature } from '@chorus/wechat-api'

export const weComCorp = { corpId: 'ww-test-corp', secret: 'kf-test-secret' }

interface PulledMessage {
  msgid: string
  open_kfid: string
  external_userid?: string
  send_time: number
  origin: number
  servicer_userid?: string
  msgtype: string
  text?: { content: string; menu_id?: string }
  event?: Record<string, string>
}

/**
 * A local stand-in for WeCom's 微信客服 API, for tests only, with the real paths, request and
 * response shapes and errcodes (docs/wecom.md): gettoken; sync_msg with its cursor, has_more and
 * the notification's token (an unknown token → 95007); send_msg (over 2,048 bytes → 45002,
 * more than 5 messages since the customer last wrote → 95001, the session with a servicer or
 * queued → 95018, to a customer whose id starts with `wm-gone` → 45015), send_msg_on_event (a welcome_code used once); service_state/get and /trans.
 * Customers, servicers and events are written into the stand-in, which then gives the
 * notification's token, as WeCom puts it in the callback.
 */
/** The WECOM_* settings that point the apps at `standIn`, with the callback's token and AES key. */
export function weComEnv(standIn: { url: string }, callback: { token: string; aesKey: string }): Record<string, string> {
  return {
    WECOM_CORP_ID: weComCorp.corpId,
    WECOM_KF_SECRET: weComCorp.secret,
    WECOM_KF_TOKEN: callback.token,
    WECOM_KF_AES_KEY: callback.aesKey,
    WECOM_API_BASE: standIn.url,
  }
}

export class WeComStandIn {
  /** Every call, in order: the path and the JSON body (or the query of a GET). */
  readonly calls: Array<{ path: string; body: Record<string, unknown> }> = []
  private readonly messages = new Map<string, PulledMessage[]>()
  private readonly tokens = new Set<string>()
  private readonly welcomeCodes = new Set<string>()
  /** Session states by `open_kfid/external_userid` (0 when never set). */
  readonly states = new Map<string, number>()
  /** Messages the API sent a customer since they last wrote, by `open_kfid/external_userid`. */
  private readonly sentSince = new Map<string, number>()
  private accessToken = ''
  private issued = 0
  private syncsBeforeCut = -1
  /** Called once a sync_msg answer has gone out (the fault suite kills the API there, before it stores the page). */
  onSyncAnswered: ((openKfId: string) => void) | undefined
  /** The most messages one sync_msg page holds (WeCom's: the request's limit, at most 1,000). */
  pageSize = 1000
  private server: Server | undefined
  private msgSeq = 0
  url = ''

  static async start(): Promise<WeComStandIn> {
    const standIn = new WeComStandIn()
    await standIn.listen()
    return standIn
  }

  /** Calls to one endpoint. */
  callsTo(path: string): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.path === path).map((c) => c.body)
  }

  /** What was sent to a customer by send_msg (text, or a menu's choices), in order. */
  sentTo(externalUserId: string): Array<Record<string, unknown>> {
    return this.callsTo('/cgi-bin/kf/send_msg').filter((body) => body.touser === externalUserId)
  }

  /** A customer writes; returns the notification token WeCom would put in the callback. */
  customerWrites(openKfId: string, externalUserId: string, text: string, menuId?: string): string {
    this.sentSince.set(`${openKfId}/${externalUserId}`, 0)
    return this.add({
      open_kfid: openKfId,
      external_userid: externalUserId,
      origin: 3,
      msgtype: 'text',
      text: { content: text, ...(menuId ? { menu_id: menuId } : {}) },
    })
  }

  /** A servicer (a person in WeCom) writes to the customer. */
  servicerWrites(openKfId: string, externalUserId: string, servicer: string, text: string): string {
    return this.add({
      open_kfid: openKfId,
      external_userid: externalUserId,
      origin: 5,
      servicer_userid: servicer,
      msgtype: 'text',
      text: { content: text },
    })
  }

  /** The customer opens the chat: an enter_session event with a welcome_code. */
  customerEnters(openKfId: string, externalUserId: string): string {
    const code = `welcome-${randomBytes(6).toString('hex')}`
    this.welcomeCodes.add(code)
    return this.add({
      open_kfid: openKfId,
      origin: 4,
      msgtype: 'event',
      event: { event_type: 'enter_session', open_kfid: openKfId, external_userid: externalUserId, scene: 'qr', welcome_code: code },
    })
  }

  /** The customer has had the 5 messages WeCom allows since they last wrote. */
  spendReplies(openKfId: string, externalUserId: string): void {
    this.sentSince.set(`${openKfId}/${externalUserId}`, 5)
  }

  /**
   * After `answered` more sync_msg answers, the next one is read and its connection cut before the
   * answer arrives: the pull dies before that page is stored.
   */
  cutNextSyncAfter(answered: number): void {
    this.syncsBeforeCut = answered
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  private add(message: Omit<PulledMessage, 'msgid' | 'send_time'>): string {
    const list = this.messages.get(message.open_kfid) ?? []
    list.push({ ...message, msgid: `msg-${++this.msgSeq}-${randomBytes(4).toString('hex')}`, send_time: Math.floor(Date.now() / 1000) })
    this.messages.set(message.open_kfid, list)
    const token = `ENC${randomBytes(16).toString('hex')}`
    this.tokens.add(token)
    return token
  }

  private async listen(): Promise<void> {
    const app = express()
    app.use(express.json())
    app.use((req, _res, next) => {
      this.calls.push({ path: req.path, body: (req.method === 'GET' ? req.query : (req.body ?? {})) as Record<string, unknown> })
      next()
    })
    const authorised: express.RequestHandler = (req, res, next) => {
      if (!this.accessToken || req.query.access_token !== this.accessToken) {
        res.json({ errcode: 40014, errmsg: 'invalid access_token' })
        return
      }
      next()
    }

    app.get('/cgi-bin/gettoken', (req, res) => {
      if (req.query.corpid !== weComCorp.corpId || req.query.corpsecret !== weComCorp.secret) {
        res.json({ errcode: 40001, errmsg: 'invalid credential' })
        return
      }
      this.accessToken ||= `wecom-token-${++this.issued}`
      res.json({ errcode: 0, errmsg: 'ok', access_token: this.accessToken, expires_in: 7200 })
    })

    app.post('/cgi-bin/kf/sync_msg', authorised, (req, res) => {
      const body = req.body as { cursor?: string; token?: string; limit?: number; open_kfid?: string }
      if (body.token !== undefined && !this.tokens.has(body.token)) {
        res.json({ errcode: 95007, errmsg: 'invalid msg token' })
        return
      }
      const list = this.messages.get(body.open_kfid ?? '') ?? []
      const from = body.cursor ? Number(body.cursor.replace(/^c/, '')) : 0
      const limit = Math.min(body.limit ?? 1000, 1000, this.pageSize)
      const page = list.slice(from, from + limit)
      const answer = {
        errcode: 0,
        errmsg: 'ok',
        next_cursor: `c${from + page.length}`,
        has_more: from + page.length < list.length ? 1 : 0,
        msg_list: page,
      }
      if (this.syncsBeforeCut === 0) {
        this.syncsBeforeCut = -1
        res.socket?.destroy()
        return
      }
      if (this.syncsBeforeCut > 0) this.syncsBeforeCut--
      res.on('finish', () => this.onSyncAnswered?.(body.open_kfid ?? ''))
      res.json(answer)
    })

    app.post('/cgi-bin/kf/send_msg', authorised, (req, res) => {
      const body = req.body as { touser?: string; open_kfid?: string; msgtype?: string; text?: { content?: string }; msgmenu?: unknown }
      const key = `${body.open_kfid}/${body.touser}`
      const state = this.states.get(key) ?? 0
      if (!body.touser || !body.open_kfid) res.json({ errcode: 40003, errmsg: 'invalid external_userid' })
      else if (body.msgtype === 'text' && !body.text?.content) res.json({ errcode: 44004, errmsg: 'empty content' })
      else if (body.msgtype !== 'text' && body.msgtype !== 'msgmenu') res.json({ errcode: 40008, errmsg: 'invalid message type' })
      else if (body.msgtype === 'text' && Buffer.byteLength(body.text!.content!) > 2048)
        res.json({ errcode: 45002, errmsg: 'content size out of limit' })
      else if (body.touser.startsWith('wm-gone')) res.json({ errcode: 45015, errmsg: 'response out of time limit' })
      else if (state !== 0 && state !== 1) res.json({ errcode: 95018, errmsg: 'send msg not allowed in this service state' })
      else if ((this.sentSince.get(key) ?? 0) >= 5) res.json({ errcode: 95001, errmsg: 'send msg count limit' })
      else {
        this.sentSince.set(key, (this.sentSince.get(key) ?? 0) + 1)
        res.json({ errcode: 0, errmsg: 'ok', msgid: (req.body as { msgid?: string }).msgid ?? `sent-${this.calls.length}` })
      }
    })

    app.post('/cgi-bin/kf/send_msg_on_event', authorised, (req, res) => {
      const body = req.body as { code?: string; msgtype?: string; text?: { content?: string } }
      if (!body.code || !this.welcomeCodes.delete(body.code)) res.json({ errcode: 95017, errmsg: 'invalid welcome code' })
      else if (body.msgtype !== 'text' || !body.text?.content) res.json({ errcode: 40008, errmsg: 'invalid message type' })
      else res.json({ errcode: 0, errmsg: 'ok', msgid: `welcome-${this.calls.length}` })
    })

    app.post('/cgi-bin/kf/service_state/get', authorised, (req, res) => {
      const body = req.body as { open_kfid?: string; external_userid?: string }
      res.json({
        errcode: 0,
        errmsg: 'ok',
        service_state: this.states.get(`${body.open_kfid}/${body.external_userid}`) ?? 0,
        servicer_userid: '',
      })
    })

    app.post('/cgi-bin/kf/service_state/trans', authorised, (req, res) => {
      const body = req.body as { open_kfid?: string; external_userid?: string; service_state?: number }
      const key = `${body.open_kfid}/${body.external_userid}`
      const from = this.states.get(key) ?? 0
      const to = body.service_state ?? -1
      // WeCom's allowed moves: a new session to the assistant, the queue or a servicer; the assistant's to the queue or a servicer; any to ended.
      const allowed =
        to === 4 ||
        ((from === 0 || from === 4) && [1, 2, 3].includes(to)) ||
        (from === 1 && [2, 3].includes(to)) ||
        (from === 2 && to === 3)
      if (!allowed) {
        res.json({ errcode: 95016, errmsg: 'service state transfer not allowed' })
        return
      }
      this.states.set(key, to)
      res.json({ errcode: 0, errmsg: 'ok', msg_code: '' })
    })

    this.server = createServer(app)
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
}

export interface WeComCallbackKeys {
  token: string
  aesKey: string
  corpId: string
}

/** The decrypted XML of a `kf_msg_or_event` notification. */
export function kfNotificationXml(corpId: string, openKfId: string, token: string): string {
  return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[${token}]]></Token><OpenKfId><![CDATA[${openKfId}]]></OpenKfId></xml>`
}

/** A callback as WeCom posts it: `message` encrypted for the corp in an `<xml><Encrypt>` envelope, the query signed over the ciphertext. */
export function weComCallback(message: string, keys: WeComCallbackKeys, nonce: string): { query: string; body: string } {
  const encrypted = encryptPush(keys.aesKey, message, keys.corpId)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const query = new URLSearchParams({
    msg_signature: messageSignature(keys.token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  }).toString()
  return {
    query,
    body: `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  }
}
