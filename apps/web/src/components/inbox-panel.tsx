import type { ConversationSummary, InboxCounts } from '@chorus/protocol'
import type { RefObject } from 'react'
import type { InboxTab } from '../hooks/use-hash-route.js'
import { useI18n } from '../i18n.js'
import { ConversationRowText } from './conversation-row-text.js'
import { FormError } from './form-error.js'

const tabs: readonly InboxTab[] = ['waiting', 'mine', 'all']

export interface InboxPanelProps {
  tab: InboxTab
  onTab: (tab: InboxTab) => void
  query: string
  onQuery: (query: string) => void
  searchRef: RefObject<HTMLInputElement | null>
  conversations: ConversationSummary[]
  counts: InboxCounts | null
  loading: boolean
  error: string | null
  openId: string | null
  /** Conversations given to the agent that they have not opened yet: marked new. */
  arrived?: ReadonlySet<string>
  onOpen: (id: string) => void
}

/** The inbox: Waiting / Mine / All with live counts, a search box, and the conversations. */
export function InboxPanel({ searchRef, ...props }: InboxPanelProps) {
  const { t } = useI18n()
  return (
    <section className="inbox" aria-label={t('inbox.label')}>
      <div className="inbox-tabs" role="tablist" aria-label={t('inbox.tabs')}>
        {tabs.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`inbox-tab-${tab}`}
            aria-selected={props.tab === tab}
            aria-controls="inbox-list"
            tabIndex={props.tab === tab ? 0 : -1}
            data-testid={`inbox-tab-${tab}`}
            className="inbox-tab"
            onClick={() => props.onTab(tab)}
            onKeyDown={(event) => {
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
              if (!step) return
              const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!
              props.onTab(next)
              document.getElementById(`inbox-tab-${next}`)?.focus()
            }}
          >
            {t(`inbox.tab.${tab}`)}
            <span className="count" data-testid={`count-${tab}`}>
              {props.counts?.[tab] ?? '–'}
            </span>
          </button>
        ))}
      </div>
      <div className="inbox-search">
        <label htmlFor="inbox-search" className="visually-hidden">
          {t('inbox.search')}
        </label>
        <input
          id="inbox-search"
          ref={searchRef}
          data-testid="search-input"
          type="search"
          placeholder={t('inbox.searchPlaceholder')}
          value={props.query}
          onChange={(event) => props.onQuery(event.target.value)}
        />
      </div>
      <div id="inbox-list" className="inbox-list" role="tabpanel" aria-labelledby={`inbox-tab-${props.tab}`} aria-busy={props.loading}>
        <FormError message={props.error} />
        {props.conversations.length === 0 ? (
          <p className="muted inbox-empty">{props.loading ? t('inbox.loading') : t('inbox.empty')}</p>
        ) : (
          <ul>
            {props.conversations.map((conversation) => (
              <li key={conversation.id}>
                <ConversationRow
                  conversation={conversation}
                  open={conversation.id === props.openId}
                  arrived={props.arrived?.has(conversation.id) ?? false}
                  onOpen={props.onOpen}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

function ConversationRow(props: { conversation: ConversationSummary; open: boolean; arrived: boolean; onOpen: (id: string) => void }) {
  const { t } = useI18n()
  const { conversation } = props
  return (
    <button
      type="button"
      className={`conversation-row${props.open ? ' open' : ''}${props.arrived ? ' arrived' : ''}`}
      data-testid="conversation-row"
      data-arrived={props.arrived || undefined}
      data-conversation-id={conversation.id}
      data-state={conversation.state}
      aria-current={props.open ? 'true' : undefined}
      onClick={() => props.onOpen(conversation.id)}
    >
      {props.arrived && <span className="arrived-badge">{t('inbox.new')}</span>}
      <ConversationRowText conversation={conversation} />
      <span className="row-assignee">
        {conversation.assignee ? t('inbox.assignee', { name: conversation.assignee.displayName }) : t('inbox.unassigned')}
      </span>
    </button>
  )
}
