import type { ComparisonDetail, ComparisonModelSummary, ComparisonRow } from '@chorus/protocol'
import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../api/query-keys.js'
import { useI18n } from '../../i18n.js'
import { DataTable, numeric } from '../ui/data-table.js'
import { LoadError } from '../ui/notice.js'
import type { TrainingApi } from './training-api.js'

const pollMs = 1500

/** One comparison: its summary table once done, and each question's answers side by side with the reference (read again while it runs). */
export function ComparisonDetailView(props: { training: TrainingApi; id: string; onClose: () => void }) {
  const { t } = useI18n()
  const comparison = useQuery({
    queryKey: queryKeys.comparison(props.id),
    queryFn: () => props.training.comparison(props.id),
    refetchInterval: (query) => (query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : pollMs),
  })
  const data = comparison.data
  return (
    <section
      className="card comparison-detail"
      aria-labelledby="comparison-detail-title"
      data-testid="comparison-detail"
      data-status={data?.status}
    >
      <div className="card-title-row">
        <h2 id="comparison-detail-title">{t('comparisons.detail', { models: data?.models.join(' · ') ?? '…' })}</h2>
        <button type="button" onClick={props.onClose}>
          {t('comparisons.close')}
        </button>
      </div>
      <LoadError error={comparison.error} onRetry={() => void comparison.refetch()} />
      {data && <Progress comparison={data} />}
      {data?.summary && <SummaryTable summary={data.summary} />}
      {data && data.rows.length > 0 && (
        <>
          <h3>{t('comparisons.answers')}</h3>
          <ol className="comparison-rows">
            {data.rows.map((row, index) => (
              <QuestionRow key={index} row={row} />
            ))}
          </ol>
        </>
      )}
    </section>
  )
}

function Progress({ comparison }: { comparison: ComparisonDetail }) {
  const { t } = useI18n()
  if (comparison.status === 'failed')
    return (
      <p className="form-error" role="alert">
        {t('comparisons.failedWith', { error: comparison.error ?? '' })}
      </p>
    )
  if (comparison.status === 'running')
    return (
      <p className="muted" role="status" data-testid="comparison-progress">
        {t('comparisons.progress', { done: comparison.rows.length, questions: comparison.questions })}
      </p>
    )
  return null
}

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`)

function SummaryTable({ summary }: { summary: ComparisonModelSummary[] }) {
  const { t } = useI18n()
  return (
    <>
      <h3>{t('comparisons.summary')}</h3>
      <DataTable
        testId="comparison-summary"
        columns={[
          t('comparisons.col.model'),
          numeric(t('comparisons.col.questions')),
          numeric(t('comparisons.col.facts')),
          numeric(t('comparisons.col.length')),
          numeric(t('comparisons.col.p50')),
          numeric(t('comparisons.col.refusals')),
          numeric(t('comparisons.col.errors')),
          t('comparisons.col.judge'),
        ]}
      >
        {summary.map((model, index) => (
          <tr key={model.model} data-testid="comparison-summary-row" data-model={model.model}>
            <th scope="row">{model.model}</th>
            <td className="numeric">{model.questions}</td>
            <td className="numeric" data-testid="comparison-facts">
              {percent(model.factsFound)}
            </td>
            <td className="numeric">{Math.round(model.meanLength)}</td>
            <td className="numeric">{Math.round(model.p50Ms)}</td>
            <td className="numeric">{model.refusals}</td>
            <td className="numeric">{model.errors}</td>
            <td>{model.judged && index > 0 ? `${model.judged.wins}/${model.judged.losses}/${model.judged.ties}` : '–'}</td>
          </tr>
        ))}
      </DataTable>
    </>
  )
}

function QuestionRow({ row }: { row: ComparisonRow }) {
  const { t } = useI18n()
  const verdict = (model: string) => row.judged?.find((judged) => judged.model === model)?.better
  return (
    <li className="comparison-row" data-testid="comparison-row">
      <p className="comparison-question">{row.question}</p>
      <div className="comparison-answers">
        <div className="comparison-answer comparison-reference">
          <h4>{t('comparisons.reference')}</h4>
          <p>{row.reference}</p>
        </div>
        {row.answers.map((answer) => {
          const better = verdict(answer.model)
          return (
            <div className="comparison-answer" key={answer.model} data-model={answer.model}>
              <h4>{answer.model}</h4>
              {answer.error ? <p className="form-error">{answer.error}</p> : <p>{answer.text}</p>}
              <p className="hint">
                {[
                  answer.facts.of > 0 ? t('comparisons.factsOf', answer.facts) : null,
                  `${Math.round(answer.ms)} ms`,
                  answer.refused ? t('comparisons.refused') : null,
                  answer.withoutModel ? t('comparisons.withoutModel') : null,
                  better ? (better === 'tie' ? t('comparisons.tie') : t('comparisons.better', { model: better })) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </div>
          )
        })}
      </div>
    </li>
  )
}
