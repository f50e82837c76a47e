import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { AuditQuery } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n } from '../../i18n.js'
import { formatFullTime } from '../../time-format.js'
import { DataTable } from '../ui/data-table.js'
import { LoadError } from '../ui/notice.js'
import { AuditFilters, toAuditQuery, type AuditDraft } from './audit-filters.js'

const pageSize = 50

/** The audit log, newest first: who did what to which, filtered, a page at a time ("Load more"). */
export function AuditPage(props: { admin: AdminApi }) {
  const { t, language } = useI18n()
  const { admin } = props
  const staff = useQuery({ queryKey: queryKeys.staff, queryFn: () => admin.staff() })
  const [query, setQuery] = useState<AuditQuery>({})
  // Pages of the filtered log, each after the last entry of the one before.
  const pages = useInfiniteQuery({
    queryKey: queryKeys.audit(query),
    queryFn: ({ pageParam }) => admin.audit({ ...query, before: pageParam, limit: pageSize }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => (page.hasMore ? page.entries.at(-1)?.id : undefined),
  })
  const entries = pages.data?.pages.flatMap((page) => page.entries) ?? []
  const loading = pages.isFetching
  const error = pages.error

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p className="muted page-intro">{t('audit.intro')}</p>
      <AuditFilters staff={staff.data ?? []} onApply={(draft: AuditDraft) => setQuery(toAuditQuery(draft))} />
      <section className="card" aria-labelledby="audit-entries-title" aria-busy={loading}>
        <h2 id="audit-entries-title" className="visually-hidden">
          {t('audit.entries')}
        </h2>
        <LoadError error={error} onRetry={() => void pages.refetch()} />
        {!loading && entries.length === 0 && !error && <p className="muted">{t('audit.none')}</p>}
        {entries.length > 0 && (
          <DataTable
            testId="audit-table"
            className="audit-table"
            columns={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.data')]}
          >
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                <td className="nowrap">
                  <time dateTime={entry.at}>{formatFullTime(entry.at, localeOf(language))}</time>
                </td>
                <td>{entry.actor.type === 'system' ? t('role.system') : (entry.actor.name ?? entry.actor.id ?? '–')}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="break">
                  {entry.target.type}
                  {entry.target.id && (
                    <>
                      {' '}
                      <code className="muted small">{entry.target.id}</code>
                    </>
                  )}
                </td>
                <td className="break">
                  <AuditData data={entry.data} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {pages.hasNextPage && (
          <button
            type="button"
            className="load-more"
            data-testid="audit-load-more"
            disabled={loading}
            onClick={() => void pages.fetchNextPage()}
          >
            {loading ? t('inbox.loading') : t('audit.loadMore')}
          </button>
        )}
      </section>
    </>
  )
}

/** An entry's details as compact JSON, folded when long. */
function AuditData(props: { data: unknown }) {
  const { t } = useI18n()
  if (props.data === null || props.data === undefined) return <span className="muted">–</span>
  const text = JSON.stringify(props.data)
  if (text === '{}') return <span className="muted">–</span>
  if (text.length <= 80) return <code className="small">{text}</code>
  return (
    <details>
      <summary>
        <code className="small">{text.slice(0, 60)}…</code>
      </summary>
      <pre className="audit-json">{JSON.stringify(props.data, null, 2)}</pre>
      <span className="visually-hidden">{t('audit.data')}</span>
    </details>
  )
}
