import type { DatasetSummary } from '@chorus/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useForm } from 'react-hook-form'
import type { AdminApi } from '../../api/admin-client.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { useI18n } from '../../i18n.js'
import type { Notices } from '../ui/notice.js'
import type { ComparisonInput, TrainingApi } from './training-api.js'

/** The knowledge evaluation sets of `npm run eval` (docs/datasets.md). */
export const evalSets = ['travel', 'hotel'] as const

const modelSlots = 5

interface ComparisonDraft {
  /** `eval:<name>` or a dataset's id. */
  source: string
  models: string[]
  judge: string
  limit: string
}

/** Starts a comparison of 2–5 models the pool serves; the server names a model it does not serve. */
export function ComparisonForm(props: {
  training: TrainingApi
  admin: AdminApi
  datasets: DatasetSummary[]
  notices: Notices
  onStarted: (id: string) => void
}) {
  const { t } = useI18n()
  const queries = useQueryClient()
  // The pool page's reading says which models are served now (`GET /v1/models` wants an API key).
  const served =
    useQuery({
      queryKey: queryKeys.servedModels,
      queryFn: async () => {
        const pool = await props.admin.pool()
        return [...new Set(pool.replicas.filter((replica) => replica.up).map((replica) => replica.model))].sort()
      },
    }).data ?? []
  const form = useForm<ComparisonDraft>({
    defaultValues: { source: `eval:${evalSets[0]}`, models: Array.from({ length: modelSlots }, () => ''), judge: '', limit: '50' },
  })
  const start = useMutation({
    mutationFn: (request: ComparisonInput) => props.training.startComparison(request),
    onSuccess: (comparison) => {
      props.notices.info(t('comparisons.started', { questions: comparison.questions }))
      void queries.invalidateQueries({ queryKey: queryKeys.comparisons })
      props.onStarted(comparison.id)
    },
  })
  const submit = form.handleSubmit((draft) => {
    const models = draft.models.map((model) => model.trim()).filter(Boolean)
    if (models.length < 2 || new Set(models).size !== models.length) {
      form.setError('root', { message: t('comparisons.needTwo') })
      return
    }
    const source = draft.source.startsWith('eval:') ? { evalSet: draft.source.slice('eval:'.length) } : { datasetId: draft.source }
    start.mutate({ ...source, models, judge: draft.judge.trim() || undefined, limit: Number(draft.limit) || undefined })
  })
  const failure = start.error ? ApiError.from(start.error).message : null

  return (
    <section className="card" aria-labelledby="comparison-start-title">
      <h2 id="comparison-start-title">{t('comparisons.start')}</h2>
      <p className="hint">{t('comparisons.hint')}</p>
      <form className="training-form" onSubmit={(event) => void submit(event)}>
        <datalist id="pool-models">
          {served.map((model) => (
            <option key={model} value={model} />
          ))}
        </datalist>
        <div className="field-grid">
          <div className="field field-wide">
            <label htmlFor="comparison-source">{t('comparisons.source')}</label>
            <select id="comparison-source" data-testid="comparison-source" {...form.register('source')}>
              {evalSets.map((name) => (
                <option key={name} value={`eval:${name}`}>
                  {t('comparisons.evalSet', { name })}
                </option>
              ))}
              {props.datasets.map((dataset) => (
                <option key={dataset.id} value={dataset.id} disabled={dataset.test === 0}>
                  {t('comparisons.datasetSource', { name: dataset.name })} ({dataset.test})
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field field-wide" aria-describedby="comparison-models-hint">
            <legend>{t('comparisons.models')}</legend>
            <div className="model-slots">
              {Array.from({ length: modelSlots }, (_, index) => (
                <input
                  key={index}
                  list="pool-models"
                  data-testid={`comparison-model-${index}`}
                  aria-label={t('comparisons.model', { n: index + 1 })}
                  placeholder={t('comparisons.model', { n: index + 1 })}
                  maxLength={256}
                  {...form.register(`models.${index}`)}
                />
              ))}
            </div>
            <span className="hint" id="comparison-models-hint" data-testid="pool-models-hint">
              {served.length > 0 ? t('comparisons.modelsHint', { models: served.join(', ') }) : t('comparisons.poolEmpty')}
            </span>
          </fieldset>
          <div className="field">
            <label htmlFor="comparison-judge">{t('comparisons.judge')}</label>
            <input id="comparison-judge" list="pool-models" maxLength={256} {...form.register('judge')} />
          </div>
          <div className="field">
            <label htmlFor="comparison-limit">{t('comparisons.limit')}</label>
            <input id="comparison-limit" data-testid="comparison-limit" type="number" min={1} max={500} {...form.register('limit')} />
          </div>
        </div>
        <FormError message={form.formState.errors.root?.message ?? failure} />
        <div className="form-footer">
          <button type="submit" className="primary" data-testid="comparison-start" disabled={start.isPending}>
            {t('comparisons.startButton')}
          </button>
        </div>
      </form>
    </section>
  )
}
