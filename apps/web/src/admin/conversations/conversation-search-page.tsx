import type { MeResponse } from '@chorus/protocol'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { ApiClient } from '../../api/api-client.js'
import { queryKeys } from '../../api/query-keys.js'
import { ConversationRowText } from '../../components/conversation-row-text.js'
import { adminHash } from '../../hooks/use-section.js'
import { useI18n } from '../../i18n.js'
import { LoadError, NoticeBar, useNotices } from '../ui/notice.js'
import { ConversationFiltersForm, noFilters, toFilters, type FilterDraft } from './conversation-filters.js'
import { ConversationPreview } from './conversation-preview.js'
import { saveFile } from './download.js'

const limit = 200

/** Every conversation, searched by text, user, group, bot, state and dates; one opened read-only; the matches exported as CSV or JSON. */
export function ConversationSearchPage(props: { admin: AdminApi; api: ApiClient; me: MeResponse; openId: string | null }) {
  const { t } = useI18n()
  const { admin } = props
  const [applied, setApplied] = useState<FilterDraft>(noFilters)
  const filters = useMemo(() => toFilters(applied), [applied])
  const bots = useQuery({ queryKey: queryKeys.bots, queryFn: () => admin.bots() })
  // New filters keep the last results shown until theirs come.
  const results = useQuery({
    queryKey: queryKeys.conversationSearch(filters, limit),
    queryFn: () => admin.searchConversations(filters, limit),
    placeholderData: keepPreviousData,
  })
  const notices = useNotices()
  const [exporting, setExporting] = useState<'csv' | 'json' | null>(null)

  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format)
    try {
      const file = await admin.exportConversations(filters, format)
      saveFile(file.blob, file.filename)
      notices.info(t('search.exported', { file: file.filename }))
    } catch (failure) {
      notices.fail(failure)
    } finally {
      setExporting(null)
    }
  }

  const list = results.data ?? []
  return (
    <>
      <h1>{t('search.title')}</h1>
      <p className="muted page-intro">{t('search.intro')}</p>
      <ConversationFiltersForm bots={bots.data ?? []} initial={applied} onApply={setApplied} />
      <NoticeBar notices={notices} />
      <div className={`search-layout${props.openId ? ' has-open' : ''}`}>
        <section className="card search-results" aria-labelledby="search-results-title" aria-busy={results.isFetching}>
          <div className="card-title-row">
            <h2 id="search-results-title">
              {t('search.results')}{' '}
              <span className="count" data-testid="search-count">
                {results.data ? (list.length >= limit ? `${limit}+` : list.length) : '–'}
              </span>
            </h2>
            <div className="button-row">
              <button type="button" data-testid="export-csv" disabled={exporting !== null} onClick={() => void exportAs('csv')}>
                {exporting === 'csv' ? t('search.exporting') : t('search.exportCsv')}
              </button>
              <button type="button" data-testid="export-json" disabled={exporting !== null} onClick={() => void exportAs('json')}>
                {exporting === 'json' ? t('search.exporting') : t('search.exportJson')}
              </button>
            </div>
          </div>
          <p className="hint">{t('search.exportHint')}</p>
          <LoadError error={results.error} onRetry={() => void results.refetch()} />
          {results.data && list.length === 0 && <p className="muted">{t('search.none')}</p>}
          {list.length >= limit && <p className="hint">{t('search.limited', { limit })}</p>}
          <ul className="result-list">
            {list.map((conversation) => (
              <li key={conversation.id}>
                <a
                  href={adminHash('conversations', conversation.id)}
                  className={`conversation-row${conversation.id === props.openId ? ' open' : ''}`}
                  aria-current={conversation.id === props.openId ? 'true' : undefined}
                  data-testid="conversation-result"
                  data-conversation-id={conversation.id}
                  data-state={conversation.state}
                >
                  <ConversationRowText conversation={conversation} />
                </a>
              </li>
            ))}
          </ul>
        </section>
        {props.openId && <ConversationPreview key={props.openId} api={props.api} me={props.me} id={props.openId} />}
      </div>
    </>
  )
}
