import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense, useCallback, useEffect } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { queryKeys } from '../api/query-keys.js'
import { useSection } from '../hooks/use-section.js'
import { useI18n } from '../i18n.js'
import { ConsolePage } from './console-page.js'
import { MainNav } from './main-nav.js'
import { UserMenu } from './user-menu.js'

// The admin pages are a chunk of their own, fetched only once an admin opens one: agents never load them.
const AdminPages = lazy(() => import('../admin/admin-pages.js').then((module) => ({ default: module.AdminPages })))

/**
 * Signed in: who we are decides what we get. Admins have a navigation bar with the console
 * beside the admin pages; agents have the console alone (an admin page's address shows the console).
 */
export function SignedInApp(props: { api: ApiClient; onSignOut: () => void }) {
  const { api } = props
  const { t } = useI18n()
  const section = useSection()
  const meQuery = useQuery({ queryKey: queryKeys.me, queryFn: () => api.me() })
  const me = meQuery.data ?? null
  const meError = meQuery.error?.message ?? null

  const isAdmin = me?.role === 'admin'
  useEffect(() => {
    // The admin pages name themselves; back in the console, so does it.
    if (section.area === 'console') document.title = `${t('app.console')} · Chorus`
  }, [section.area, t])
  useEffect(() => {
    if (me && !isAdmin && section.area === 'admin') location.replace('#/waiting')
  }, [me, isAdmin, section.area])

  const signOut = useCallback(async () => {
    // The token is forgotten here whatever the server says: signing out must always work.
    await api.logout().catch(() => undefined)
    props.onSignOut()
  }, [api, props])

  const nav = isAdmin ? <MainNav section={section} /> : null
  const userMenu = <UserMenu api={api} me={me} onSignOut={() => void signOut()} />

  if (section.area === 'admin' && !isAdmin) {
    if (meError)
      return (
        <p className="form-error page-message" role="alert">
          {t('error.generic', { message: meError })}
        </p>
      )
    if (!me) return <p className="muted page-message">{t('admin.loading')}</p>
  }
  if (section.area === 'admin' && isAdmin && me) {
    return (
      <Suspense fallback={<p className="muted page-message">{t('admin.loading')}</p>}>
        <AdminPages api={api} me={me} section={section} nav={nav} userMenu={userMenu} />
      </Suspense>
    )
  }
  return <ConsolePage api={api} me={me} nav={nav} userMenu={userMenu} />
}
