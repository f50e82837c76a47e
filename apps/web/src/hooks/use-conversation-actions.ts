import type { TransferBody } from '@chorus/protocol'
import { useCallback, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n, type MessageKey } from '../i18n.js'

export type Notify = (text: string, kind: 'info' | 'error') => void

export interface ConversationActions {
  busy: boolean
  claim(): Promise<void>
  release(): Promise<void>
  resolve(rating?: number): Promise<void>
  transfer(target: TransferBody): Promise<void>
}

/** Claim, release, resolve and transfer for the open conversation; each reports how it went and refreshes. */
export function useConversationActions(
  api: ApiClient,
  conversationId: string | null,
  onDone: () => void,
  notify: Notify,
): ConversationActions {
  const { t } = useI18n()
  const [busy, setBusy] = useState(false)

  const run = useCallback(
    async (action: (id: string) => Promise<unknown>, done: MessageKey) => {
      if (!conversationId || busy) return
      setBusy(true)
      try {
        await action(conversationId)
        notify(t(done), 'info')
      } catch (failure) {
        const error = ApiError.from(failure)
        notify(error.status === 409 ? t('action.conflict') : t('error.generic', { message: error.message }), 'error')
      } finally {
        setBusy(false)
        onDone()
      }
    },
    [busy, conversationId, notify, onDone, t],
  )

  return {
    busy,
    claim: useCallback(() => run((id) => api.claim(id), 'action.claimed'), [api, run]),
    release: useCallback(() => run((id) => api.release(id), 'action.released'), [api, run]),
    resolve: useCallback((rating?: number) => run((id) => api.resolve(id, rating), 'action.resolvedDone'), [api, run]),
    transfer: useCallback((target: TransferBody) => run((id) => api.transfer(id, target), 'action.transferred'), [api, run]),
  }
}
