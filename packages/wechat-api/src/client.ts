import { z } from 'zod'
import { AccessTokens, MemoryTokenStore, type TokenStore } from './access-token.js'
import { TokenApi } from './api-call.js'
import { WeChatApiError } from './errors.js'

export const defaultApiBase = 'https://api.weixin.qq.com'

export interface WeChatClientOptions {
  appId: string
  secret: string
  /** WeChat's API host; tests point it at a local stand-in. */
  apiBase?: string
  /** Shared between processes in production (Redis); in memory by default. */
  tokenStore?: TokenStore
  timeoutMs?: number
}

const errorFields = { errcode: z.number().optional(), errmsg: z.string().optional() }

const sessionResponse = z.object({
  ...errorFields,
  openid: z.string().optional(),
  session_key: z.string().optional(),
  unionid: z.string().optional(),
})
const tokenResponse = z.object({ ...errorFields, access_token: z.string().optional(), expires_in: z.number().optional() })
const secCheckResponse = z.object({
  ...errorFields,
  trace_id: z.string().optional(),
  result: z.object({ suggest: z.enum(['risky', 'pass', 'review']), label: z.number() }).optional(),
})
const plainResponse = z.object(errorFields)

export interface Session {
  openid: string
  unionid: string | null
}

export interface SecCheckResult {
  suggest: 'risky' | 'pass' | 'review'
  label: number
  traceId: string | null
}

/** The most characters msg_sec_check takes in one call. */
export const msgSecCheckMaxChars = 2500

/** msg_sec_check scenes: 1 profile, 2 comment, 3 forum post, 4 social log (chat). */
export type SecCheckScene = 1 | 2 | 3 | 4

/**
 * The WeChat server APIs a mini-program backend needs (../docs/miniprogram.md): login, the
 * access token, content security, subscription and customer-service messages. Every error is a
 * WeChatApiError with WeChat's errcode; a rejected access token is refreshed once and retried.
 */
export class WeChatClient {
  readonly appId: string
  private readonly tokens: AccessTokens
  private readonly api: TokenApi

  constructor(private readonly options: WeChatClientOptions) {
    this.appId = options.appId
    this.tokens = new AccessTokens((force) => this.stableToken(force), options.tokenStore ?? new MemoryTokenStore())
    this.api = new TokenApi((options.apiBase ?? defaultApiBase).replace(/\/$/, ''), this.tokens, options.timeoutMs ?? 5000)
  }

  /** `wx.login`'s code → the user's openid (and unionid). The session_key stays here: it is never returned. */
  async code2Session(code: string): Promise<Session> {
    const query = new URLSearchParams({ appid: this.appId, secret: this.options.secret, js_code: code, grant_type: 'authorization_code' })
    const body = await this.api.call('jscode2session', `/sns/jscode2session?${query}`, undefined, sessionResponse)
    if (!body.openid) throw new WeChatApiError('jscode2session', -1, 'no openid in the answer')
    return { openid: body.openid, unionid: body.unionid ?? null }
  }

  /**
   * Checks text of at most `msgSecCheckMaxChars` with msg_sec_check v2 (the user must have opened
   * the mini-program in the last 2 h); WeChat refuses longer text (47001). ContentCheck checks
   * longer text in pieces.
   */
  async msgSecCheck(input: { openid: string; content: string; scene?: SecCheckScene }): Promise<SecCheckResult> {
    const body = await this.api.withToken(
      'msg_sec_check',
      '/wxa/msg_sec_check',
      {
        version: 2,
        openid: input.openid,
        scene: input.scene ?? 4,
        content: input.content,
      },
      secCheckResponse,
    )
    if (!body.result) throw new WeChatApiError('msg_sec_check', -1, 'no result in the answer')
    return { ...body.result, traceId: body.trace_id ?? null }
  }

  /** A subscription message (one per grant of a one-time template). */
  async sendSubscribeMessage(input: { touser: string; templateId: string; page?: string; data: Record<string, string> }): Promise<void> {
    await this.api.withToken(
      'subscribe/send',
      '/cgi-bin/message/subscribe/send',
      {
        touser: input.touser,
        template_id: input.templateId,
        page: input.page,
        data: Object.fromEntries(Object.entries(input.data).map(([key, value]) => [key, { value }])),
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      },
      plainResponse,
    )
  }

  /** A customer-service text message, within WeChat's window after the user wrote. */
  async sendCustomText(touser: string, content: string): Promise<void> {
    await this.api.withToken('custom/send', '/cgi-bin/message/custom/send', { touser, msgtype: 'text', text: { content } }, plainResponse)
  }

  /** "Typing…" in the customer-service chat (lasts 15 s). */
  async typing(touser: string, typing: boolean): Promise<void> {
    await this.api.withToken(
      'custom/typing',
      '/cgi-bin/message/custom/business/typing',
      { touser, command: typing ? 'Typing' : 'CancelTyping' },
      plainResponse,
    )
  }

  private async stableToken(force: boolean): Promise<{ token: string; expiresIn: number }> {
    const body = await this.api.call(
      'stable_token',
      '/cgi-bin/stable_token',
      {
        grant_type: 'client_credential',
        appid: this.appId,
        secret: this.options.secret,
        force_refresh: force,
      },
      tokenResponse,
    )
    if (!body.access_token) throw new WeChatApiError('stable_token', -1, 'no access_token in the answer')
    return { token: body.access_token, expiresIn: body.expires_in ?? 7200 }
  }
}
