import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { ApiClient } from '../../api/api-client.js'
import { queryKeys } from '../../api/query-keys.js'
import { useI18n } from '../../i18n.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { CandidatesPanel } from './candidates-panel.js'
import { ComparisonsPanel } from './comparisons-panel.js'
import { DatasetsPanel } from './datasets-panel.js'
import { TrainingApi } from './training-api.js'
import './training.css'

/** Training data (docs/datasets.md): candidates to review, datasets to build and export, models to compare. */
export function TrainingPage(props: { admin: AdminApi; api: ApiClient }) {
  const { t } = useI18n()
  const training = useMemo(() => new TrainingApi(props.api), [props.api])
  const bots = useQuery({ queryKey: queryKeys.bots, queryFn: () => props.admin.bots() })
  const datasets = useQuery({ queryKey: queryKeys.datasets, queryFn: () => training.datasets() })
  const notices = useNotices()
  return (
    <>
      <h1>{t('training.title')}</h1>
      <p className="muted page-intro">{t('training.intro')}</p>
      <NoticeBar notices={notices} />
      <CandidatesPanel training={training} bots={bots.data ?? []} notices={notices} />
      <h2 className="training-section-title">{t('datasets.title')}</h2>
      <DatasetsPanel training={training} bots={bots.data ?? []} notices={notices} />
      <h2 className="training-section-title">{t('comparisons.title')}</h2>
      <ComparisonsPanel training={training} admin={props.admin} datasets={datasets.data ?? []} notices={notices} />
    </>
  )
}
