import { z } from 'zod'
import { AccessTokens, MemoryTokenStore, type TokenStore } from './access-token.js'
import { TokenApi } from './api-call.js'
import { WeChatApiError } from './errors.js'
import { syncMsgResponse, weComKfMessage, type WeComKfMessage } from './wecom-kf-message.js'

export const defaultWeComApiBase = 'https://qyapi.weixin.qq.com'

export interface WeComKfClientOptions {
  corpId: string
  /** The 微信客服 API's Secret. */
  secret: string
  /** WeCom's API host; tests point it at a local stand-in. */
  apiBase?: string
  /** Shared between processes in production (Redis); in memory by default. */
  tokenStore?: TokenStore
  timeoutMs?: number
}

const errorFields = { errcode: z.number().optional(), errmsg: z.string().optional() }
const tokenResponse = z.object({ ...errorFields, access_token: z.string().optional(), expires_in: z.number().optional() })
const sendResponse = z.object({ ...errorFields, msgid: z.string().optional() })
const stateResponse = z.object({ ...errorFields, service_state: z.number().int().optional(), servicer_userid: z.string().optional() })
const plainResponse = z.object(errorFields)

/** One page of sync_msg: the messages that parsed, how many did not, and where the next page starts. */
export interface SyncPage {
  messages: WeComKfMessage[]
  unreadable: number
  nextCursor: string
  hasMore: boolean
}

/** A message 微信客服 sends: text, or a menu of clickable choices (msgmenu). */
export type WeComKfOutgoing =
  | { msgtype: 'text'; text: { content: string } }
  | {
      msgtype: 'msgmenu'
      msgmenu: { head_content?: string; list: Array<{ type: 'click'; click: { id: string; content: string } }>; tail_content?: string }
    }

/**
 * WeCom's customer-service (微信客服) server API (docs/wecom.md): pulling messages, sending,
 * the welcome message, session state. Every error is a WeChatApiError with WeCom's errcode; a
 * rejected access token is refreshed once and retried.
 */
export class WeComKfClient {
  private readonly tokens: AccessTokens
  private readonly api: TokenApi

  constructor(private readonly options: WeComKfClientOptions) {
    this.tokens = new AccessTokens(() => this.getToken(), options.tokenStore ?? new MemoryTokenStore())
    this.api = new TokenApi((options.apiBase ?? defaultWeComApiBase).replace(/\/$/, ''), this.tokens, options.timeoutMs ?? 5000)
  }

  /** Whether an access token can be had (the panel's status); throws WeCom's refusal. */
  async checkToken(): Promise<void> {
    await this.tokens.get()
  }

  /**
   * One page of messages after `cursor` (none: from the start of the last 3 days). `token` is the
   * callback's (valid 10 minutes); without it WeCom allows far fewer calls.
   */
  async syncMsg(input: { openKfId: string; cursor: string | null; token?: string; limit?: number }): Promise<SyncPage> {
    const body = await this.api.withToken(
      'kf/sync_msg',
      '/cgi-bin/kf/sync_msg',
      {
        ...(input.cursor ? { cursor: input.cursor } : {}),
        ...(input.token ? { token: input.token } : {}),
        limit: input.limit ?? 1000,
        open_kfid: input.openKfId,
      },
      syncMsgResponse,
    )
    const messages: WeComKfMessage[] = []
    let unreadable = 0
    for (const item of body.msg_list) {
      const parsed = weComKfMessage.safeParse(item)
      if (parsed.success) messages.push(parsed.data)
      else unreadable++
    }
    return { messages, unreadable, nextCursor: body.next_cursor ?? input.cursor ?? '', hasMore: body.has_more === 1 }
  }

  /** Sends a message to a customer (`touser`: their external_userid); `msgid` makes a repeated send one message. */
  async sendMsg(input: { touser: string; openKfId: string; msgid?: string; message: WeComKfOutgoing }): Promise<void> {
    await this.api.withToken(
      'kf/send_msg',
      '/cgi-bin/kf/send_msg',
      { touser: input.touser, open_kfid: input.openKfId, ...(input.msgid ? { msgid: input.msgid } : {}), ...input.message },
      sendResponse,
    )
  }

  /** The welcome message, with an `enter_session` event's `welcome_code` (usable once, within 20 seconds). */
  async sendMsgOnEvent(input: { code: string; msgid?: string; message: WeComKfOutgoing }): Promise<void> {
    await this.api.withToken(
      'kf/send_msg_on_event',
      '/cgi-bin/kf/send_msg_on_event',
      { code: input.code, ...(input.msgid ? { msgid: input.msgid } : {}), ...input.message },
      sendResponse,
    )
  }

  /** The customer's session state (0–4, see weComKfServiceState). */
  async serviceState(input: { openKfId: string; externalUserId: string }): Promise<number> {
    const body = await this.api.withToken(
      'kf/service_state/get',
      '/cgi-bin/kf/service_state/get',
      { open_kfid: input.openKfId, external_userid: input.externalUserId },
      stateResponse,
    )
    if (body.service_state === undefined) throw new WeChatApiError('kf/service_state/get', -1, 'no service_state in the answer')
    return body.service_state
  }

  /** Moves the customer's session to `state` (1 the assistant, 2 the servicers' queue, 3 a servicer, 4 ended). */
  async transServiceState(input: { openKfId: string; externalUserId: string; state: number; servicerUserId?: string }): Promise<void> {
    await this.api.withToken(
      'kf/service_state/trans',
      '/cgi-bin/kf/service_state/trans',
      {
        open_kfid: input.openKfId,
        external_userid: input.externalUserId,
        service_state: input.state,
        ...(input.servicerUserId ? { servicer_userid: input.servicerUserId } : {}),
      },
      plainResponse,
    )
  }

  private async getToken(): Promise<{ token: string; expiresIn: number }> {
    const query = new URLSearchParams({ corpid: this.options.corpId, corpsecret: this.options.secret })
    const body = await this.api.call('gettoken', `/cgi-bin/gettoken?${query}`, undefined, tokenResponse)
    if (!body.access_token) throw new WeChatApiError('gettoken', -1, 'no access_token in the answer')
    return { token: body.access_token, expiresIn: body.expires_in ?? 7200 }
  }
}
