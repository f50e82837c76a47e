import { Router } from 'express'
import { weComAccountLinkBody, type WeComStatusView } from '@chorus/protocol'
import { WeChatApiError, type WeComKfClient } from '@chorus/wechat-api'
import { BadRequest } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import type { WeComKfRepository } from './wecom-kf.repository.js'

const openKfIdPattern = /^[A-Za-z0-9_-]{1,128}$/

/**
 * The admin panel's view of WeCom customer service (docs/wecom.md, docs/admin-api.md): whether
 * it is configured and gets an access token, its accounts with their last pull, and which bot
 * answers each.
 */
export function weComAdminRoutes(deps: {
  auth: AuthService
  audit: AuditTrail
  /** Null while WeCom is not configured. */
  weCom: { client: WeComKfClient; repo: WeComKfRepository } | null
}): Router {
  const router = Router()
  router.use('/api/wecom', requireStaff(deps.auth), requireAdmin)

  router.get('/api/wecom', async (_req, res) => {
    if (!deps.weCom) {
      const view: WeComStatusView = { configured: false, token: null, accounts: [] }
      res.json(view)
      return
    }
    const { client, repo } = deps.weCom
    const token = await client.checkToken().then(
      () => ({ ok: true, error: null }),
      (error: unknown) => ({
        ok: false,
        error: error instanceof WeChatApiError ? `${error.errcode} ${error.errmsg}` : 'the access token could not be fetched',
      }),
    )
    const accounts = (await repo.accounts()).map((account) => ({
      openKfId: account.openKfId,
      botId: account.botId,
      lastSyncAt: account.lastSyncAt?.toISOString() ?? null,
      lastError: account.lastError,
      lastErrorAt: account.lastErrorAt?.toISOString() ?? null,
    }))
    const view: WeComStatusView = { configured: true, token, accounts }
    res.json(view)
  })

  router.patch('/api/wecom/accounts/:openKfId', async (req, res) => {
    const openKfId = req.params.openKfId ?? ''
    if (!openKfIdPattern.test(openKfId)) throw new BadRequest('not a WeCom account id (open_kfid)')
    const { botId } = validate(weComAccountLinkBody, req.body)
    if (!deps.weCom) throw new BadRequest('WeCom customer service is not configured')
    if ((await deps.weCom.repo.linkBot(openKfId, botId)) === 'no_bot') throw new BadRequest('no such bot')
    await deps.audit.record({
      actor: { type: 'staff', id: signedIn(res).staff.id },
      action: 'wecom_account.link',
      target: { type: 'wecom_account', id: openKfId },
      data: { botId },
    })
    res.json({ openKfId, botId })
  })

  return router
}
