import { z } from 'zod'

/** The query of WeCom's callback (`/wecom/kf/callback`): always signed with msg_signature; `echostr` on URL verification. */
export const weComCallbackQuery = z.object({
  msg_signature: z.string().min(1).max(100),
  timestamp: z.string().regex(/^\d{1,13}$/),
  nonce: z.string().min(1).max(100),
  echostr: z.string().min(1).max(1000).optional(),
})
export type WeComCallbackQuery = z.infer<typeof weComCallbackQuery>

/** `PATCH /api/wecom/accounts/:openKfId`: the bot that answers the account; null unlinks it. */
export const weComAccountLinkBody = z.object({ botId: z.string().min(1).max(64).nullable() })
export type WeComAccountLinkBody = z.infer<typeof weComAccountLinkBody>

/** A 微信客服 account as the panel shows it. */
export interface WeComAccountView {
  openKfId: string
  botId: string | null
  lastSyncAt: string | null
  lastError: string | null
  lastErrorAt: string | null
}

/** `GET /api/wecom`: whether the channel is configured, whether WeCom gives it an access token, and its accounts. */
export interface WeComStatusView {
  configured: boolean
  token: { ok: boolean; error: string | null } | null
  accounts: WeComAccountView[]
}
