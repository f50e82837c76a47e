import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import type { ConversationSummary, InboxCounts, InboxQuery } from '../api/types.js'
import type { InboxTab } from './use-hash-route.js'

export interface Inbox {
  conversations: ConversationSummary[]
  counts: InboxCounts | null
  loading: boolean
  error: ApiError | null
  refresh(): Promise<void>
}

function queryFor(tab: InboxTab, q: string): InboxQuery {
  const search = q.trim() ? { q: q.trim() } : {}
  if (tab === 'waiting') return { state: 'waiting', ...search }
  if (tab === 'mine') return { mine: true, ...search }
  return search
}

/** One tab of the inbox with its live counts; `refresh` reloads it (only the newest answer is kept). */
export function useInbox(api: ApiClient, tab: InboxTab, q: string): Inbox {
  const [conversations, setConversations] = useState<ConversationSummary[]>([])
  const [counts, setCounts] = useState<InboxCounts | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ApiError | null>(null)
  const latest = useRef(0)

  const refresh = useCallback(async () => {
    const call = ++latest.current
    try {
      const inbox = await api.inbox(queryFor(tab, q))
      if (call !== latest.current) return
      setConversations(inbox.conversations)
      setCounts(inbox.counts)
      setError(null)
    } catch (failure) {
      if (call === latest.current) setError(ApiError.from(failure))
    } finally {
      if (call === latest.current) setLoading(false)
    }
  }, [api, tab, q])

  useEffect(() => {
    setLoading(true)
    void refresh()
  }, [refresh])

  return { conversations, counts, loading, error, refresh }
}
