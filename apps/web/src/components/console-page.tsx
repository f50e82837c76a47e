import type { LiveEvent, MeResponse } from '@chorus/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { queryKeys } from '../api/query-keys.js'
import { useConversationActions } from '../hooks/use-conversation-actions.js'
import { useConversation } from '../hooks/use-conversation.js'
import { useDebouncedTrigger } from '../hooks/use-debounced-trigger.js'
import { useDebouncedValue } from '../hooks/use-debounced-value.js'
import { useHashRoute, type InboxTab } from '../hooks/use-hash-route.js'
import { useInbox } from '../hooks/use-inbox.js'
import { useKeyboardShortcuts } from '../hooks/use-keyboard-shortcuts.js'
import { useLiveEvents } from '../hooks/use-live-events.js'
import { useI18n } from '../i18n.js'
import { ConversationView } from './conversation-view.js'
import { HealthIndicator } from './health-indicator.js'
import { HelpPanel } from './help-panel.js'
import { InboxPanel } from './inbox-panel.js'
import { ConsoleHeader } from './console-header.js'

/** How long after an event the inbox and the open conversation reload (a burst of events reloads once). */
const refreshDebounceMs = 150
/** A typing hint lasts this long unless another one comes. */
const typingShownMs = 4000

interface Notice {
  id: number
  text: string
  kind: 'info' | 'error'
  /** A button beside the text (open what it tells of). */
  action?: { label: string; run: () => void }
}

/**
 * The signed-in console: inbox on the left, the open conversation on the right, kept live by the
 * event stream. `nav` is the admin's navigation bar (none for agents).
 */
export function ConsolePage(props: { api: ApiClient; me: MeResponse | null; nav: ReactNode; userMenu: ReactNode }) {
  const { api, me } = props
  const { t } = useI18n()
  const [route, navigate] = useHashRoute()
  const [query, setQuery] = useState('')
  const inbox = useInbox(api, route.tab, useDebouncedValue(query, 250))
  const open = useConversation(api, route.conversationId)
  const queries = useQueryClient()
  const canned = useQuery({ queryKey: queryKeys.cannedResponses, queryFn: () => api.cannedResponses() })
  const [notice, setNotice] = useState<Notice | null>(null)
  const [helpOpen, setHelpOpen] = useState(false)
  const [typingIn, setTypingIn] = useState<string | null>(null)
  // Conversations given to this agent (auto-assigned, transferred) that they have not opened yet.
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set())
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const searchRef = useRef<HTMLInputElement>(null)

  const notify = useCallback((text: string, kind: 'info' | 'error') => setNotice({ id: Date.now(), text, kind }), [])
  const fail = useCallback(
    (failure: unknown) => notify(t('error.generic', { message: ApiError.from(failure).message }), 'error'),
    [notify, t],
  )

  useEffect(() => {
    if (notice?.kind !== 'info') return
    const timer = setTimeout(() => setNotice((current) => (current?.id === notice.id ? null : current)), 5000)
    return () => clearTimeout(timer)
  }, [notice])

  useEffect(() => () => clearTimeout(typingTimer.current), [])

  // What an event changed is reloaded: the inbox's tabs, and the open conversation when it concerns it.
  const openId = route.conversationId
  const refreshInbox = useDebouncedTrigger(() => void queries.invalidateQueries({ queryKey: queryKeys.inbox }), refreshDebounceMs)
  const refreshOpen = useDebouncedTrigger(() => {
    if (openId) void queries.invalidateQueries({ queryKey: queryKeys.conversation(openId) })
  }, refreshDebounceMs)
  const refreshAll = useCallback(() => {
    void queries.invalidateQueries({ queryKey: queryKeys.inbox })
    void queries.invalidateQueries({ queryKey: queryKeys.conversations })
  }, [queries])

  const meId = me?.id
  const openConversation = useCallback(
    (tab: InboxTab, id: string) => {
      setArrived((current) => withoutId(current, id))
      navigate({ tab, conversationId: id })
    },
    [navigate],
  )

  // A conversation given to this agent by someone else (assignment, a transfer) comes to the
  // front: opened when nothing is, else announced with a way to open it and marked new in Mine.
  const assignedToMe = useCallback(
    (id: string) => {
      if (!openId) {
        openConversation('mine', id)
        notify(t('inbox.assignedToYou'), 'info')
        return
      }
      setArrived((current) => new Set(current).add(id))
      setNotice({
        id: Date.now(),
        text: t('inbox.assignedToYou'),
        kind: 'info',
        action: { label: t('inbox.openAssigned'), run: () => openConversation('mine', id) },
      })
    },
    [notify, openConversation, openId, t],
  )

  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type === 'ping') return
      if (event.type === 'typing') {
        // Our own typing comes back too; only a colleague's is worth showing.
        if (event.data.conversationId !== openId || (event.data.staffId && event.data.staffId === meId)) return
        setTypingIn(openId)
        clearTimeout(typingTimer.current)
        typingTimer.current = setTimeout(() => setTypingIn(null), typingShownMs)
        return
      }
      refreshInbox()
      if (
        event.type === 'conversation' &&
        event.data.state === 'agent' &&
        meId &&
        event.data.assigneeId === meId &&
        event.data.id !== openId
      ) {
        assignedToMe(event.data.id)
      }
      const conversationId = event.type === 'conversation' ? event.data.id : event.data.conversationId
      if (conversationId === openId) {
        refreshOpen()
        if (event.type === 'message' && event.data.role === 'agent') setTypingIn(null)
      }
    },
    [assignedToMe, meId, openId, refreshInbox, refreshOpen],
  )
  const liveStatus = useLiveEvents(api, onEvent, refreshAll)
  const actions = useConversationActions(api, openId, refreshAll, notify)

  const step = useCallback(
    (by: 1 | -1) => {
      const list = inbox.conversations
      if (list.length === 0) return
      const index = list.findIndex((conversation) => conversation.id === openId)
      const next = index < 0 ? (by > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, index + by))
      openConversation(route.tab, list[next]!.id)
    },
    [inbox.conversations, openConversation, openId, route.tab],
  )
  useKeyboardShortcuts({
    previous: () => step(-1),
    next: () => step(1),
    claim: () => void actions.claim(),
    release: () => void actions.release(),
    focusSearch: () => searchRef.current?.focus(),
    toggleHelp: () => setHelpOpen((shown) => !shown),
  })

  const availability = useMutation({
    mutationFn: (available: boolean) => api.setAvailability(available),
    onSuccess: (_done, available) => queries.setQueryData<MeResponse>(queryKeys.me, (current) => current && { ...current, available }),
    onError: fail,
  })

  const mine = open.conversation?.assignee?.id !== undefined && open.conversation.assignee.id === me?.id
  return (
    <div className="console">
      <ConsoleHeader
        me={me}
        liveStatus={liveStatus}
        onAvailable={(available) => availability.mutate(available)}
        onHelp={() => setHelpOpen(true)}
        userMenu={props.userMenu}
      />
      {props.nav}
      {notice && (
        <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{notice.text}</span>
          {notice.action && (
            <button
              type="button"
              data-testid="notice-action"
              onClick={() => {
                notice.action?.run()
                setNotice(null)
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label={t('error.dismiss')} onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {canned.error && (
        <div className="notice notice-error" role="alert" data-testid="canned-error">
          <span>{t('error.generic', { message: canned.error.message })}</span>
          <button type="button" onClick={() => void canned.refetch()}>
            {t('admin.retry')}
          </button>
        </div>
      )}
      <div className={`console-body${openId ? ' has-open' : ''}`}>
        <InboxPanel
          tab={route.tab}
          onTab={(tab) => navigate({ tab, conversationId: openId })}
          query={query}
          onQuery={setQuery}
          searchRef={searchRef}
          conversations={inbox.conversations}
          counts={inbox.counts}
          loading={inbox.loading}
          error={inbox.error ? t('error.generic', { message: inbox.error.message }) : null}
          openId={openId}
          arrived={arrived}
          onOpen={(id) => openConversation(route.tab, id)}
        />
        <main className="conversation-pane">
          {openId ? (
            <ConversationView
              api={api}
              me={me}
              open={open}
              actions={actions}
              canned={canned.data ?? []}
              typing={typingIn === openId && !mine}
              notify={notify}
              onBack={() => navigate({ tab: route.tab, conversationId: null })}
            />
          ) : (
            <p className="muted conversation-none">{t('conversation.none')}</p>
          )}
        </main>
      </div>
      <footer className="app-footer">
        <HealthIndicator />
      </footer>
      {helpOpen && <HelpPanel onClose={() => setHelpOpen(false)} />}
    </div>
  )
}

function withoutId(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!ids.has(id)) return ids
  const next = new Set(ids)
  next.delete(id)
  return next
}
