import type { ConversationState } from '@chorus/protocol'
import type { Bot, ConversationFilters } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'
import { FilterForm, FilterInput, FilterSelect, useFilterDraft } from '../ui/filters.js'
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
  const { bind, apply, reset } = useFilterDraft(props.initial, noFilters, props.onApply)
  return (
    <FilterForm label={t('search.filters')} testId="conversation-filters" submitTestId="search-submit" onApply={apply} onReset={reset}>
      <FilterInput
        id="search-q"
        testId="search-q"
        wide
        type="search"
        label={t('search.text')}
        placeholder={t('inbox.searchPlaceholder')}
        {...bind('q')}
      />
      <FilterInput id="search-user" testId="search-user" label={t('search.user')} {...bind('user')} />
      <FilterInput id="search-group" testId="search-group" label={t('search.group')} {...bind('group')} />
      <FilterSelect
        id="search-bot"
        testId="search-bot"
        label={t('conversation.bot')}
        options={[{ value: '', label: t('search.allBots') }, ...props.bots.map((bot) => ({ value: bot.id, label: bot.name }))]}
        {...bind('botId')}
      />
      <FilterSelect
        id="search-state"
        testId="search-state"
        label={t('conversation.state')}
        options={states.map((state) => ({ value: state, label: state === 'all' ? t('search.allStates') : t(`state.${state}`) }))}
        {...bind('state')}
      />
      <FilterInput id="search-from" testId="search-from" type="date" label={t('search.from')} {...bind('from')} />
      <FilterInput id="search-to" testId="search-to" type="date" label={t('search.to')} {...bind('to')} />
    </FilterForm>
  )
}
