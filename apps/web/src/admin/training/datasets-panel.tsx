import { datasetFormats, type DatasetFormat, type DatasetSummary } from '@chorus/protocol'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { Bot } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n } from '../../i18n.js'
import { Timestamp } from '../../components/timestamp.js'
import { saveFile } from '../conversations/download.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { numeric } from '../ui/data-table.js'
import type { Notices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { DatasetForm } from './dataset-form.js'
import type { TrainingApi } from './training-api.js'

const splits = ['train', 'test'] as const

/** Datasets: a new one, and the list with each split's size, a download per format and split, and delete. */
export function DatasetsPanel(props: { training: TrainingApi; bots: Bot[]; notices: Notices }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  const { training, notices } = props
  const queries = useQueryClient()
  const datasets = useQuery({ queryKey: queryKeys.datasets, queryFn: () => training.datasets() })
  const [deleting, setDeleting] = useState<DatasetSummary | null>(null)

  const download = async (dataset: DatasetSummary, format: DatasetFormat, split: (typeof splits)[number]) => {
    try {
      const file = await training.exportDataset(dataset, format, split)
      saveFile(file.blob, file.filename)
      void queries.invalidateQueries({ queryKey: queryKeys.datasets })
    } catch (failure) {
      notices.fail(failure)
    }
  }

  const remove = async (dataset: DatasetSummary) => {
    try {
      await training.deleteDataset(dataset.id)
      notices.info(t('datasets.deleted', { name: dataset.name }))
      void queries.invalidateQueries({ queryKey: queryKeys.datasets })
    } catch (failure) {
      notices.fail(failure)
    }
  }

  return (
    <>
      <DatasetForm training={training} bots={props.bots} notices={notices} />
      <ResourceTable
        resource={datasets}
        title={{ id: 'datasets-list-title', text: t('datasets.list') }}
        empty={t('datasets.none')}
        testId="datasets-table"
        columns={[
          t('datasets.name'),
          t('training.bot'),
          numeric(t('datasets.train')),
          numeric(t('datasets.test')),
          numeric(t('datasets.exports')),
          t('datasets.created_at'),
          t('datasets.download'),
        ]}
        actions
        row={(dataset) => (
          <tr key={dataset.id} data-testid="dataset-row" data-dataset-id={dataset.id}>
            <th scope="row">{dataset.name}</th>
            <td>{props.bots.find((bot) => bot.id === dataset.botId)?.name ?? <span className="muted">{t('training.allBots')}</span>}</td>
            <td className="numeric" data-testid="dataset-train">
              {dataset.train}
            </td>
            <td className="numeric" data-testid="dataset-test">
              {dataset.test}
            </td>
            <td className="numeric" data-testid="dataset-exports">
              {dataset.exports}
            </td>
            <td>
              <Timestamp iso={dataset.createdAt} locale={locale} />
            </td>
            <td>
              <div className="export-grid">
                {datasetFormats.map((format) =>
                  splits.map((split) => (
                    <RowButton
                      key={`${format}-${split}`}
                      label={t('datasets.exportNamed', { format, split: t(`datasets.${split}`), name: dataset.name })}
                      onClick={() => void download(dataset, format, split)}
                    >
                      {format} · {t(`datasets.${split}`)}
                    </RowButton>
                  )),
                )}
              </div>
            </td>
            <td className="row-actions">
              <RowButton danger label={t('datasets.deleteNamed', { name: dataset.name })} onClick={() => setDeleting(dataset)}>
                {t('datasets.delete')}
              </RowButton>
            </td>
          </tr>
        )}
      />
      {deleting && (
        <ConfirmDialog
          title={t('datasets.deleteTitle')}
          text={t('datasets.deleteText', { name: deleting.name })}
          confirmLabel={t('datasets.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </>
  )
}
