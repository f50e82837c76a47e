import { useState, type FormEvent } from 'react'
import type { Bot, ConversationFilters } from '../../api/admin-types.js'
import type { ConversationState } from '../../api/types.js'
import { useI18n } from '../../i18n.js'
import { localDayStart } from '../ui/format.js'

/** The filter form's fields as typed (dates as `YYYY-MM-DD`). */
export interface FilterDraft {
  q: string
  user: string
  group: string
  botId: string
  state: ConversationState | 'all'
  from: string
  to: string
}

export const noFilters: FilterDraft = { q: '', user: '', group: '', botId: '', state: 'all', from: '', to: '' }

const states: (ConversationState | 'all')[] = ['all', 'bot', 'waiting', 'agent', 'resolved']

/** The API's filters: empty ones left out, dates from local midnight, `to` including its whole day. */
export function toFilters(draft: FilterDraft): ConversationFilters {
  const text = (value: string) => value.trim() || undefined
  return {
    q: text(draft.q),
    user: text(draft.user),
    group: text(draft.group),
    botId: draft.botId || undefined,
    state: draft.state,
    from: localDayStart(draft.from),
    to: localDayStart(draft.to, 1),
  }
}

/** Text, user, group, bot, state and a date range; applied when submitted. */
export function ConversationFiltersForm(props: { bots: Bot[]; initial: FilterDraft; onApply: (draft: FilterDraft) => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState(props.initial)
  const change = (fields: Partial<FilterDraft>) => setDraft((current) => ({ ...current, ...fields }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    props.onApply(draft)
  }
  return (
    <form className="filters" role="search" aria-label={t('search.filters')} onSubmit={submit} data-testid="conversation-filters">
      <div className="filter filter-wide">
        <label htmlFor="search-q">{t('search.text')}</label>
        <input
          id="search-q"
          data-testid="search-q"
          type="search"
          placeholder={t('inbox.searchPlaceholder')}
          value={draft.q}
          onChange={(event) => change({ q: event.target.value })}
        />
      </div>
      <div className="filter">
        <label htmlFor="search-user">{t('search.user')}</label>
        <input id="search-user" data-testid="search-user" value={draft.user} onChange={(event) => change({ user: event.target.value })} />
      </div>
      <div className="filter">
        <label htmlFor="search-group">{t('search.group')}</label>
        <input
          id="search-group"
          data-testid="search-group"
          value={draft.group}
          onChange={(event) => change({ group: event.target.value })}
        />
      </div>
      <div className="filter">
        <label htmlFor="search-bot">{t('conversation.bot')}</label>
        <select id="search-bot" data-testid="search-bot" value={draft.botId} onChange={(event) => change({ botId: event.target.value })}>
          <option value="">{t('search.allBots')}</option>
          {props.bots.map((bot) => (
            <option key={bot.id} value={bot.id}>
              {bot.name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="search-state">{t('conversation.state')}</label>
        <select
          id="search-state"
          data-testid="search-state"
          value={draft.state}
          onChange={(event) => change({ state: event.target.value as FilterDraft['state'] })}
        >
          {states.map((state) => (
            <option key={state} value={state}>
              {state === 'all' ? t('search.allStates') : t(`state.${state}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="search-from">{t('search.from')}</label>
        <input
          id="search-from"
          data-testid="search-from"
          type="date"
          value={draft.from}
          onChange={(event) => change({ from: event.target.value })}
        />
      </div>
      <div className="filter">
        <label htmlFor="search-to">{t('search.to')}</label>
        <input
          id="search-to"
          data-testid="search-to"
          type="date"
          value={draft.to}
          onChange={(event) => change({ to: event.target.value })}
        />
      </div>
      <div className="filter-actions">
        <button
          type="button"
          onClick={() => {
            setDraft(noFilters)
            props.onApply(noFilters)
          }}
        >
          {t('search.reset')}
        </button>
        <button type="submit" className="primary" data-testid="search-submit">
          {t('search.submit')}
        </button>
      </div>
    </form>
  )
}
