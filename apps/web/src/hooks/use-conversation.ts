import type { ConversationDetail } from '@chorus/protocol'
import { useQuery } from '@tanstack/react-query'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { queryKeys } from '../api/query-keys.js'

export interface OpenConversation {
  conversation: ConversationDetail | null
  loading: boolean
  error: ApiError | null
}

/** The open conversation with its history, cached under `conversations/<id>` (the live event stream invalidates it). */
export function useConversation(api: ApiClient, id: string | null): OpenConversation {
  const detail = useQuery({
    queryKey: queryKeys.conversation(id ?? ''),
    queryFn: () => api.conversation(id!),
    enabled: id !== null,
  })
  return {
    conversation: id === null ? null : (detail.data ?? null),
    loading: id !== null && detail.isPending,
    error: detail.error ? ApiError.from(detail.error) : null,
  }
}
