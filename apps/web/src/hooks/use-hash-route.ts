import { useCallback, useEffect, useState } from 'react'
import { parseSection } from './use-section.js'

export type InboxTab = 'waiting' | 'mine' | 'all'

/** Where the console is: which inbox tab, and which conversation is open (`#/waiting/<id>`). */
export interface Route {
  tab: InboxTab
  conversationId: string | null
}

const tabs: readonly InboxTab[] = ['waiting', 'mine', 'all']

/** The console's place in a hash; anything else (an admin page's `#/admin/bots`) is the Waiting tab with nothing open. */
export function parseRoute(hash: string): Route {
  const [first, id] = hash.replace(/^#\/?/, '').split('/')
  const tab = tabs.find((known) => known === first)
  return { tab: tab ?? 'waiting', conversationId: tab && id ? decodeURIComponent(id) : null }
}

export function routeHash(route: Route): string {
  return `#/${route.tab}${route.conversationId ? `/${encodeURIComponent(route.conversationId)}` : ''}`
}

/** The route in the location's hash, so a reload or the back button keeps the place. */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    // Leaving for an admin page unmounts the console: its route stays as it was until then, so
    // nothing it shows is reloaded for an address that is not its own.
    const onChange = () => {
      if (parseSection(location.hash).area === 'console') setRoute(parseRoute(location.hash))
    }
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  const navigate = useCallback((next: Route) => {
    const hash = routeHash(next)
    if (hash !== location.hash) location.hash = hash
    setRoute(next)
  }, [])
  return [route, navigate]
}
