import { useEffect, useState } from 'react'

/** The admin panel's pages, in the order of the navigation bar. */
export const adminPages = ['bots', 'models', 'pool', 'conversations', 'people', 'api-keys', 'wecom', 'training', 'audit'] as const
export type AdminPage = (typeof adminPages)[number]

/**
 * Which part of the app the location's hash shows: the agent console (`#/waiting/<id>`, see
 * use-hash-route.ts) or an admin page (`#/admin/bots/<id>/knowledge`), with the rest of its path.
 */
export type Section = { area: 'console' } | { area: 'admin'; page: AdminPage; rest: string[] }

export function parseSection(hash: string): Section {
  const [first, page, ...rest] = hash.replace(/^#\/?/, '').split('/')
  if (first !== 'admin') return { area: 'console' }
  return {
    area: 'admin',
    page: adminPages.find((known) => known === page) ?? 'bots',
    rest: rest.filter(Boolean).map((part) => decodeURIComponent(part)),
  }
}

/** The hash of an admin page, e.g. `adminHash('bots', id, 'knowledge')`. */
export function adminHash(page: AdminPage, ...rest: string[]): string {
  return `#/admin/${page}${rest.map((part) => `/${encodeURIComponent(part)}`).join('')}`
}

/** Goes to an admin page (a new history entry, so Back returns). */
export function goTo(page: AdminPage, ...rest: string[]): void {
  location.hash = adminHash(page, ...rest)
}

/** The section in the location's hash, following the back button and links. */
export function useSection(): Section {
  const [section, setSection] = useState(() => parseSection(location.hash))
  useEffect(() => {
    const onChange = () => setSection(parseSection(location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return section
}
