import type { ConversationSummary, InboxCounts } from '@chorus/protocol'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { queryKeys } from '../api/query-keys.js'
import type { InboxQuery } from '../api/api-client.js'
import type { InboxTab } from './use-hash-route.js'

export interface Inbox {
  conversations: ConversationSummary[]
  counts: InboxCounts | null
  loading: boolean
  error: ApiError | null
}

function queryFor(tab: InboxTab, q: string): InboxQuery {
  const search = q.trim() ? { q: q.trim() } : {}
  if (tab === 'waiting') return { state: 'waiting', ...search }
  if (tab === 'mine') return { mine: true, ...search }
  return search
}

/**
 * One tab of the inbox with its live counts, cached under `inbox` (the live event stream
 * invalidates it). Another tab or search keeps the list shown until its own answer comes.
 */
export function useInbox(api: ApiClient, tab: InboxTab, q: string): Inbox {
  const query = queryFor(tab, q)
  const inbox = useQuery({ queryKey: queryKeys.inboxTab(query), queryFn: () => api.inbox(query), placeholderData: keepPreviousData })
  return {
    conversations: inbox.data?.conversations ?? [],
    counts: inbox.data?.counts ?? null,
    loading: inbox.isPending || inbox.isPlaceholderData,
    error: inbox.error ? ApiError.from(inbox.error) : null,
  }
}
