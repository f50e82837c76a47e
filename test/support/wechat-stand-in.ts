import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'

// What WeChat answers to an access token that is not the current one.
const staleTokenErrmsgs = { 40001: 'invalid credential, access_token is invalid or not latest', 40014: 'invalid access_token' }

// custom/send's answers for users whose openid starts with these: WeChat's refusals.
const customServiceRefusals: Array<[string, number, string]> = [
  ['o-expired', 45015, 'response out of time limit or subscription is canceled'],
  ['o-unfollowed', 43004, 'require subscribe'],
  ['o-busy', -1, 'system error'],
]

/**
 * A local stand-in for WeChat's server API, for tests only: the real paths, request and
 * response shapes and errcodes (../shared/WECHAT-API.md) of the endpoints Chorus calls.
 *
 * Login codes: `ok:<openid>` logs in (once; reused → 40029), `bad` → 40029, `limited` → 45011,
 * `blocked` → 40226, `busy` → -1, `used` → 40163. Content check: text containing RISKY → risky
 * (label 20001), REVIEW → review (21000), BROKEN → errcode -1 (the check fails), INACTIVE →
 * 61010 (the user has not opened the mini-program for 2 h); over 2,500 characters → 47001;
 * anything else passes. Subscription messages: see `failNextSubscribeSend`. custom/send: text
 * over 2,048 bytes → 45002; to `o-expired…` → 45015 (the 48-hour window has passed),
 * `o-unfollowed…` → 43004, `o-busy…` → -1 (every time).
 */
export class WeChatStandIn {
  /** Every call, in order: the path and the JSON body. */
  readonly calls: Array<{ path: string; body: Record<string, unknown> }> = []
  private token = ''
  private issued = 0
  private staleTokenErrcode: keyof typeof staleTokenErrmsgs = 40001
  private readonly subscribeSendFailures = new Map<string, number>()
  private readonly usedCodes = new Set<string>()
  private server: Server | undefined
  url = ''

  static async start(): Promise<WeChatStandIn> {
    const standIn = new WeChatStandIn()
    await standIn.listen()
    return standIn
  }

  /** How many times an endpoint was called. */
  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length
  }

  /** The current access token stops working (as after a force refresh elsewhere): the next call gets 40001, or 40014 if asked. */
  invalidateToken(errcode: keyof typeof staleTokenErrmsgs = 40001): void {
    this.token = `revoked-${this.token}`
    this.staleTokenErrcode = errcode
  }

  /** The next subscription message to `touser` is answered with `errcode` (-1 busy, 43101 refused, …) instead of being sent. */
  failNextSubscribeSend(touser: string, errcode: number): void {
    this.subscribeSendFailures.set(touser, errcode)
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  private newToken(): string {
    this.issued++
    this.token = `token-${this.issued}-${'x'.repeat(40)}`
    return this.token
  }

  private async listen(): Promise<void> {
    const app = express()
    app.use(express.json())
    app.use((req, _res, next) => {
      this.calls.push({ path: req.path, body: (req.body ?? {}) as Record<string, unknown> })
      next()
    })
    // Endpoints behind the access token answer 40001 (or 40014) to a token that is not the current one.
    const authorised: express.RequestHandler = (req, res, next) => {
      if (req.query.access_token !== this.token || !this.token) {
        res.json({ errcode: this.staleTokenErrcode, errmsg: staleTokenErrmsgs[this.staleTokenErrcode] })
        return
      }
      next()
    }

    app.get('/sns/jscode2session', (req, res) => {
      const code = String(req.query.js_code ?? '')
      if (req.query.appid !== 'wx-test-app' || req.query.secret !== 'wx-test-secret') {
        res.json({ errcode: 40013, errmsg: 'invalid appid' })
        return
      }
      const errors: Record<string, [number, string]> = {
        bad: [40029, 'invalid code'],
        limited: [45011, 'api minute-quota reach limit'],
        blocked: [40226, 'high risk user'],
        busy: [-1, 'system error'],
        used: [40163, 'code been used'],
      }
      const error = errors[code] ?? (this.usedCodes.has(code) || !code.startsWith('ok:') ? [40029, 'invalid code'] : undefined)
      if (error) {
        res.json({ errcode: error[0], errmsg: error[1] })
        return
      }
      this.usedCodes.add(code)
      const openid = code.slice(3)
      res.json({ openid, session_key: `session-key-of-${openid}`, unionid: `union-${openid}` })
    })

    app.post('/cgi-bin/stable_token', (req, res) => {
      const body = req.body as { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean }
      if (body.grant_type !== 'client_credential' || body.appid !== 'wx-test-app' || body.secret !== 'wx-test-secret') {
        res.json({ errcode: 40013, errmsg: 'invalid appid' })
        return
      }
      // Like WeChat: the current token comes back until it is invalid or a refresh is forced.
      const valid = this.token.startsWith('token-')
      res.json({ access_token: valid && !body.force_refresh ? this.token : this.newToken(), expires_in: 7200 })
    })

    app.post('/wxa/msg_sec_check', authorised, (req, res) => {
      const body = req.body as { version?: number; openid?: string; scene?: number; content?: string }
      // WeChat takes at most 2,500 characters in one call.
      if (body.version !== 2 || !body.openid || !body.scene || typeof body.content !== 'string' || body.content.length > 2500) {
        res.json({ errcode: 47001, errmsg: 'data format error' })
        return
      }
      if (body.content.includes('BROKEN')) {
        res.json({ errcode: -1, errmsg: 'system error' })
        return
      }
      if (body.content.includes('INACTIVE')) {
        res.json({ errcode: 61010, errmsg: 'user access record timeout' })
        return
      }
      const [suggest, label] = body.content.includes('RISKY')
        ? ['risky', 20001]
        : body.content.includes('REVIEW')
          ? ['review', 21000]
          : ['pass', 100]
      res.json({
        errcode: 0,
        errmsg: 'ok',
        result: { suggest, label },
        detail: [{ strategy: 'content_model', errcode: 0, suggest, label }],
        trace_id: 'trace-1',
      })
    })

    app.post('/cgi-bin/message/subscribe/send', authorised, (req, res) => {
      const body = req.body as { touser?: string; template_id?: string; data?: Record<string, { value?: string }> }
      const failure = this.subscribeSendFailures.get(body.touser ?? '')
      if (failure !== undefined) {
        this.subscribeSendFailures.delete(body.touser ?? '')
        res.json({ errcode: failure, errmsg: failure === 43101 ? 'user refuse to accept the msg' : 'system error' })
        return
      }
      const tooLong = Object.entries(body.data ?? {}).some(([key, field]) => key.startsWith('thing') && (field.value ?? '').length > 20)
      if (!body.touser || !body.template_id) res.json({ errcode: 40037, errmsg: 'invalid template id' })
      else if (tooLong) res.json({ errcode: 47003, errmsg: 'argument invalid! data.thing.value exceeds limit' })
      else res.json({ errcode: 0, errmsg: 'ok' })
    })

    app.post('/cgi-bin/message/custom/send', authorised, (req, res) => {
      const body = req.body as { touser?: string; msgtype?: string; text?: { content?: string } }
      const refusal = customServiceRefusals.find(([prefix]) => body.touser?.startsWith(prefix))
      if (!body.touser || body.msgtype !== 'text' || !body.text?.content) res.json({ errcode: 40008, errmsg: 'invalid message type' })
      else if (Buffer.byteLength(body.text.content) > 2048) res.json({ errcode: 45002, errmsg: 'content size out of limit' })
      else if (refusal) res.json({ errcode: refusal[1], errmsg: refusal[2] })
      else res.json({ errcode: 0, errmsg: 'ok' })
    })

    app.post('/cgi-bin/message/custom/business/typing', authorised, (_req, res) => {
      res.json({ errcode: 0, errmsg: 'ok' })
    })

    this.server = createServer(app)
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
}
