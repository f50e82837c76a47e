import type { MeResponse } from '@chorus/protocol'
import type { ReactNode } from 'react'
import type { StreamStatus } from '../live/event-stream.js'
import { useI18n, type MessageKey } from '../i18n.js'
import { LanguageSwitch } from './language-switch.js'

const liveLabels: Record<StreamStatus, MessageKey> = {
  open: 'live.connected',
  connecting: 'live.connecting',
  closed: 'live.offline',
}

/** Whether the live stream is up, the Available/Away switch, language, help and the user menu (password, sign-out). */
export function ConsoleHeader(props: {
  me: MeResponse | null
  liveStatus: StreamStatus
  onAvailable: (available: boolean) => void
  onHelp: () => void
  userMenu: ReactNode
}) {
  const { t } = useI18n()
  const available = props.me?.available ?? false
  return (
    <header className="app-header">
      <span className="brand">
        {t('app.name')} <span className="muted">· {t('app.console')}</span>
      </span>
      <span className={`live live-${props.liveStatus}`} data-testid="live-status" data-status={props.liveStatus}>
        <span className="live-dot" aria-hidden="true" />
        {t(liveLabels[props.liveStatus])}
      </span>
      <div className="header-tools">
        <button
          type="button"
          role="switch"
          aria-checked={available}
          aria-label={t('me.availability')}
          title={t(props.liveStatus !== 'open' ? 'me.offlineHint' : available ? 'me.availableHint' : 'me.awayHint')}
          className={`availability ${available ? 'is-available' : 'is-away'}`}
          data-testid="availability-toggle"
          disabled={!props.me}
          onClick={() => props.onAvailable(!available)}
        >
          <span className="availability-dot" aria-hidden="true" />
          {available ? t('me.available') : t('me.away')}
        </button>
        <LanguageSwitch />
        <button
          type="button"
          className="icon-button"
          aria-label={t('help.open')}
          title={t('help.open')}
          data-testid="help-button"
          onClick={props.onHelp}
        >
          ?
        </button>
        {props.userMenu}
      </div>
    </header>
  )
}
