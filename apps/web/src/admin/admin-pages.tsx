import type { MeResponse } from '@chorus/protocol'
import { useEffect, useMemo, type ReactNode } from 'react'
import { AdminApi } from '../api/admin-client.js'
import type { ApiClient } from '../api/api-client.js'
import { HealthIndicator } from '../components/health-indicator.js'
import { LanguageSwitch } from '../components/language-switch.js'
import { adminPageLabels } from '../components/main-nav.js'
import type { Section } from '../hooks/use-section.js'
import { useI18n } from '../i18n.js'
import { ApiKeysPage } from './api-keys/api-keys-page.js'
import { AuditPage } from './audit/audit-page.js'
import { BotEditor } from './bots/bot-editor.js'
import { BotsPage } from './bots/bots-page.js'
import { ConversationSearchPage } from './conversations/conversation-search-page.js'
import { ModelEndpointsPage } from './models/model-endpoints-page.js'
import { PeoplePage } from './people/people-page.js'
import { PoolPage } from './pool/pool-page.js'
import { TrainingPage } from './training/training-page.js'
import { WeComPage } from './wecom/wecom-page.js'
import './admin.css'

/** The admin panel (its own chunk, loaded for admins only): header, navigation, and the page of the hash. */
export function AdminPages(props: {
  api: ApiClient
  me: MeResponse
  section: Extract<Section, { area: 'admin' }>
  nav: ReactNode
  userMenu: ReactNode
}) {
  const { t } = useI18n()
  const admin = useMemo(() => new AdminApi(props.api), [props.api])
  const { page, rest } = props.section
  useEffect(() => {
    document.title = `${t(adminPageLabels[page])} · ${t('admin.title')} · Chorus`
  }, [page, t])

  return (
    <div className="admin">
      <header className="app-header">
        <span className="brand">
          {t('app.name')} <span className="muted">· {t('admin.title')}</span>
        </span>
        <div className="header-tools">
          <LanguageSwitch />
          {props.userMenu}
        </div>
      </header>
      {props.nav}
      <main className="admin-main" data-testid={`page-${page}`}>
        {page === 'bots' &&
          (rest[0] ? <BotEditor key={rest[0]} admin={admin} botId={rest[0]} tab={rest[1]} /> : <BotsPage admin={admin} />)}
        {page === 'models' && <ModelEndpointsPage admin={admin} />}
        {page === 'pool' && <PoolPage admin={admin} />}
        {page === 'conversations' && <ConversationSearchPage admin={admin} api={props.api} me={props.me} openId={rest[0] ?? null} />}
        {page === 'people' && <PeoplePage admin={admin} me={props.me} />}
        {page === 'api-keys' && <ApiKeysPage admin={admin} />}
        {page === 'wecom' && <WeComPage admin={admin} />}
        {page === 'training' && <TrainingPage admin={admin} api={props.api} />}
        {page === 'audit' && <AuditPage admin={admin} />}
      </main>
      <footer className="app-footer">
        <HealthIndicator />
      </footer>
    </div>
  )
}
