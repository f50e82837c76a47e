import { QueryClient } from '@tanstack/react-query'

/**
 * The panel's cache of server state, one per session (signing out drops it). Nothing is retried
 * on its own: a failure shows with a retry button, and the live event stream says when the
 * console's data changed, so a window getting focus reloads nothing.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } })
}
