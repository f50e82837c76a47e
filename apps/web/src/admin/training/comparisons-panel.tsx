import type { ComparisonSummary, DatasetSummary } from '@chorus/protocol'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n } from '../../i18n.js'
import { Timestamp } from '../../components/timestamp.js'
import { numeric } from '../ui/data-table.js'
import type { Notices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { ComparisonDetailView } from './comparison-detail.js'
import { ComparisonForm } from './comparison-form.js'
import type { TrainingApi } from './training-api.js'

const statusBadge = { running: 'badge-warn', done: 'badge-ok', failed: 'badge-danger' } as const

/** Model comparisons: start one, the list (read again while one runs), and one opened. */
export function ComparisonsPanel(props: { training: TrainingApi; admin: AdminApi; datasets: DatasetSummary[]; notices: Notices }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  const { training } = props
  const [openId, setOpenId] = useState<string | null>(null)
  const comparisons = useQuery({
    queryKey: queryKeys.comparisons,
    queryFn: () => training.comparisons(),
    refetchInterval: (query) => (query.state.data?.some((comparison) => comparison.status === 'running') ? 3000 : false),
  })
  const sourceLabel = (comparison: ComparisonSummary) => {
    if (comparison.source.startsWith('eval:')) return t('comparisons.evalSet', { name: comparison.source.slice('eval:'.length) })
    const dataset = props.datasets.find((d) => d.id === comparison.source)
    return t('comparisons.datasetSource', { name: dataset?.name ?? comparison.source })
  }

  return (
    <>
      <ComparisonForm training={training} admin={props.admin} datasets={props.datasets} notices={props.notices} onStarted={setOpenId} />
      <ResourceTable
        resource={comparisons}
        title={{ id: 'comparisons-list-title', text: t('comparisons.list') }}
        empty={t('comparisons.none')}
        testId="comparisons-table"
        columns={[
          t('comparisons.when'),
          t('comparisons.source'),
          t('comparisons.col.model'),
          t('comparisons.status'),
          numeric(t('comparisons.questions')),
        ]}
        actions
        row={(comparison) => (
          <tr key={comparison.id} data-testid="comparison-list-row" data-status={comparison.status}>
            <td>
              <Timestamp iso={comparison.createdAt} locale={locale} />
            </td>
            <td>{sourceLabel(comparison)}</td>
            <td>{comparison.models.join(', ')}</td>
            <td>
              <span className={`badge ${statusBadge[comparison.status]}`}>{t(`comparisons.status.${comparison.status}`)}</span>
            </td>
            <td className="numeric">{comparison.questions}</td>
            <td className="row-actions">
              <RowButton
                label={t('comparisons.openNamed', { models: comparison.models.join(', ') })}
                onClick={() => setOpenId(comparison.id)}
              >
                {t('comparisons.open')}
              </RowButton>
            </td>
          </tr>
        )}
      />
      {openId && <ComparisonDetailView key={openId} training={training} id={openId} onClose={() => setOpenId(null)} />}
    </>
  )
}
