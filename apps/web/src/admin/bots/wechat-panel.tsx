import { useQuery } from '@tanstack/react-query'
import type { AdminApi } from '../../api/admin-client.js'
import type { WeChatStatusKind } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n, type MessageKey } from '../../i18n.js'
import { formatFullTime } from '../../time-format.js'

const refreshMs = 5000

const statusLabels: Record<WeChatStatusKind, MessageKey> = {
  logged_in: 'wechat.loggedIn',
  scan_qr: 'wechat.scanQr',
  offline: 'wechat.offline',
}

/** A QR code the browser can show as a picture: a data URL or a link to an image file. */
export function isImageUrl(url: string): boolean {
  return /^data:image\//i.test(url) || /^https?:\/\/[^?#]+\.(png|jpe?g|gif|svg|webp)([?#].*)?$/i.test(url)
}

/** The bot's WeChat account: logged in as whom, or the QR code to scan; refreshed every 5 s. */
export function WeChatPanel(props: { admin: AdminApi; botId: string }) {
  const { t, language } = useI18n()
  const { admin, botId } = props
  const weChat = useQuery({ queryKey: queryKeys.wechatStatus(botId), queryFn: () => admin.weChat(botId), refetchInterval: refreshMs })
  const status = weChat.data ?? null
  const error = weChat.error?.message ?? null

  const qrUrl = status?.status === 'scan_qr' ? status.qr?.url : undefined
  const qrImage = status?.status === 'scan_qr' ? status.qr?.image : undefined
  const since = status?.account?.since ? new Date(status.account.since).toISOString() : null
  return (
    <section className="card wechat" aria-labelledby="wechat-title">
      <h2 id="wechat-title">{t('wechat.title')}</h2>
      <p className="hint">{t('wechat.refresh')}</p>
      {error && (
        <p className="form-error" role="alert">
          {t('error.generic', { message: error })}
        </p>
      )}
      {status && (
        <div role="status" aria-live="polite">
          <p>
            <span className={`badge wechat-${status.status}`} data-testid="wechat-status" data-status={status.status}>
              {t(statusLabels[status.status])}
            </span>
          </p>
          {status.status === 'logged_in' && (
            <p data-testid="wechat-account">
              {t('wechat.account', { name: status.account?.name ?? '?' })}
              {since && ` · ${t('wechat.since', { time: formatFullTime(since, localeOf(language)) })}`}
            </p>
          )}
          {status.status === 'offline' && <p className="muted">{t('wechat.offlineHelp')}</p>}
          {qrUrl && (
            <div className="wechat-qr">
              <p>{t('wechat.scanHelp')}</p>
              {(qrImage ?? isImageUrl(qrUrl)) && (
                <img src={qrImage ?? qrUrl} alt={t('wechat.qrAlt')} width={240} height={240} data-testid="wechat-qr-image" />
              )}
              <p>
                <a href={qrUrl} target="_blank" rel="noreferrer noopener" data-testid="wechat-qr-link">
                  {t('wechat.qrLink')}
                </a>
              </p>
            </div>
          )}
        </div>
      )}
    </section>
  )
}
