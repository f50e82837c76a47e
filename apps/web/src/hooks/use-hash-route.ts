import { useCallback, useEffect, useState } from 'react'

export type InboxTab = 'waiting' | 'mine' | 'all'

/** Where the console is: which inbox tab, and which conversation is open (`#/waiting/<id>`). */
export interface Route {
  tab: InboxTab
  conversationId: string | null
}

const tabs: readonly InboxTab[] = ['waiting', 'mine', 'all']

export function parseRoute(hash: string): Route {
  const [tab, id] = hash.replace(/^#\/?/, '').split('/')
  return {
    tab: tabs.find((known) => known === tab) ?? 'waiting',
    conversationId: id ? decodeURIComponent(id) : null,
  }
}

export function routeHash(route: Route): string {
  return `#/${route.tab}${route.conversationId ? `/${encodeURIComponent(route.conversationId)}` : ''}`
}

/** The route in the location's hash, so a reload or the back button keeps the place. */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash))
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
