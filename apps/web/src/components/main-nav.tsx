import { adminHash, adminPages, type AdminPage, type Section } from '../hooks/use-section.js'
import { useI18n, type MessageKey } from '../i18n.js'

/** Each admin page's name, in the navigation and the window title. */
export const adminPageLabels: Record<AdminPage, MessageKey> = {
  bots: 'nav.bots',
  models: 'nav.models',
  pool: 'nav.pool',
  conversations: 'nav.conversations',
  people: 'nav.people',
  'api-keys': 'nav.apiKeys',
  wecom: 'nav.wecom',
  training: 'nav.training',
  audit: 'nav.audit',
}

/** The admin's navigation bar: the agent console beside the admin pages. Agents never get it. */
export function MainNav(props: { section: Section }) {
  const { t } = useI18n()
  const current = (page: AdminPage | 'console') =>
    (props.section.area === 'console' ? page === 'console' : props.section.page === page) ? 'page' : undefined
  return (
    <nav className="main-nav" aria-label={t('nav.label')} data-testid="main-nav">
      <ul>
        <li>
          <a href="#/waiting" aria-current={current('console')} data-testid="nav-console">
            {t('nav.console')}
          </a>
        </li>
        {adminPages.map((page) => (
          <li key={page}>
            <a href={adminHash(page)} aria-current={current(page)} data-testid={`nav-${page}`}>
              {t(adminPageLabels[page])}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
