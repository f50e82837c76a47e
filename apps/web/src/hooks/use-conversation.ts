import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import type { ConversationDetail } from '../api/types.js'

export interface OpenConversation {
  conversation: ConversationDetail | null
  loading: boolean
  error: ApiError | null
  refresh(): Promise<void>
}

/** The open conversation with its history; `refresh` reloads it (only the newest answer is kept). */
export function useConversation(api: ApiClient, id: string | null): OpenConversation {
  const [conversation, setConversation] = useState<ConversationDetail | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const latest = useRef(0)

  const refresh = useCallback(async () => {
    const call = ++latest.current
    if (!id) return
    try {
      const detail = await api.conversation(id)
      if (call !== latest.current) return
      setConversation(detail)
      setError(null)
    } catch (failure) {
      if (call === latest.current) setError(ApiError.from(failure))
    } finally {
      if (call === latest.current) setLoading(false)
    }
  }, [api, id])

  useEffect(() => {
    setConversation(null)
    setError(null)
    setLoading(id !== null)
    void refresh()
  }, [id, refresh])

  return { conversation, loading, error, refresh }
}
