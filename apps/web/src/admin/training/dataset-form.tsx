import { datasetBody } from '@chorus/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useForm } from 'react-hook-form'
import type { Bot } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { useI18n } from '../../i18n.js'
import type { Notices } from '../ui/notice.js'
import type { DatasetInput, TrainingApi } from './training-api.js'

const channels = ['wechat_group', 'wechat_private', 'miniprogram', 'api', 'wecom_kf'] as const

interface DatasetDraft {
  name: string
  botId: string
  pairs: boolean
  faq: boolean
  conversations: boolean
  channel: '' | (typeof channels)[number]
  from: string
  to: string
  handoff: '' | 'only' | 'never'
  /** Percent, as typed. */
  testShare: string
}

const blank: DatasetDraft = {
  name: '',
  botId: '',
  pairs: true,
  faq: false,
  conversations: false,
  channel: '',
  from: '',
  to: '',
  handoff: '',
  testShare: '10',
}

/** The recipe of the draft, empty fields left to the server's defaults. */
function recipeOf(draft: DatasetDraft): DatasetInput {
  return {
    name: draft.name.trim(),
    botId: draft.botId || undefined,
    sources: { pairs: draft.pairs, faq: draft.faq, conversations: draft.conversations },
    filters: {
      channel: draft.channel || undefined,
      from: draft.from || undefined,
      to: draft.to || undefined,
      handoff: draft.handoff === '' ? undefined : draft.handoff === 'only',
    },
    testShare: Number(draft.testShare) / 100,
  }
}

/** A new dataset, built at once from the sources and filters chosen (docs/datasets.md). */
export function DatasetForm(props: { training: TrainingApi; bots: Bot[]; notices: Notices }) {
  const { t } = useI18n()
  const queries = useQueryClient()
  const form = useForm<DatasetDraft>({ defaultValues: blank })
  const create = useMutation({
    mutationFn: (recipe: DatasetInput) => props.training.createDataset(recipe),
    onSuccess: (dataset, recipe) => {
      props.notices.info(t('datasets.created', { name: recipe.name, train: dataset.train, test: dataset.test }))
      form.reset(blank)
      void queries.invalidateQueries({ queryKey: queryKeys.datasets })
    },
  })
  const submit = form.handleSubmit((draft) => {
    const recipe = recipeOf(draft)
    // The server's own schema first, so a mistake is named before anything is sent.
    const checked = datasetBody.safeParse(recipe)
    if (!checked.success) form.setError('root', { message: checked.error.issues.map((issue) => issue.message).join('; ') })
    else create.mutate(recipe)
  })
  const failure = create.error ? t('error.generic', { message: ApiError.from(create.error).message }) : null

  return (
    <section className="card" aria-labelledby="dataset-create-title">
      <h2 id="dataset-create-title">{t('datasets.create')}</h2>
      <form className="training-form" onSubmit={(event) => void submit(event)}>
        <div className="field-grid">
          <div className="field">
            <label htmlFor="dataset-name">{t('datasets.name')}</label>
            <input id="dataset-name" data-testid="dataset-name" required maxLength={100} {...form.register('name')} />
          </div>
          <div className="field">
            <label htmlFor="dataset-bot">{t('training.bot')}</label>
            <select id="dataset-bot" data-testid="dataset-bot" {...form.register('botId')}>
              <option value="">{t('training.allBots')}</option>
              {props.bots.map((bot) => (
                <option key={bot.id} value={bot.id}>
                  {bot.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field field-wide">
            <legend>{t('datasets.sources')}</legend>
            {(['pairs', 'faq', 'conversations'] as const).map((source) => (
              <span className="check-line" key={source}>
                <input
                  id={`dataset-source-${source}`}
                  type="checkbox"
                  data-testid={`dataset-source-${source}`}
                  {...form.register(source)}
                />
                <label htmlFor={`dataset-source-${source}`}>{t(`datasets.source.${source}`)}</label>
              </span>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="dataset-channel">{t('datasets.channel')}</label>
            <select id="dataset-channel" {...form.register('channel')}>
              <option value="">{t('datasets.anyChannel')}</option>
              {channels.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`channel.${channel}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="dataset-handoff">{t('datasets.handoff')}</label>
            <select id="dataset-handoff" {...form.register('handoff')}>
              <option value="">{t('datasets.handoffAny')}</option>
              <option value="only">{t('datasets.handoffOnly')}</option>
              <option value="never">{t('datasets.handoffNever')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="dataset-from">{t('datasets.from')}</label>
            <input id="dataset-from" type="date" {...form.register('from')} />
          </div>
          <div className="field">
            <label htmlFor="dataset-to">{t('datasets.to')}</label>
            <input id="dataset-to" type="date" {...form.register('to')} />
          </div>
          <div className="field">
            <label htmlFor="dataset-test-share">{t('datasets.testShare')}</label>
            <input
              id="dataset-test-share"
              data-testid="dataset-test-share"
              type="number"
              min={0}
              max={50}
              step={1}
              aria-describedby="dataset-test-share-hint"
              {...form.register('testShare')}
            />
            <span className="hint" id="dataset-test-share-hint">
              {t('datasets.testShareHint')}
            </span>
          </div>
        </div>
        <FormError message={form.formState.errors.root?.message ?? failure} />
        <div className="form-footer">
          <button type="submit" className="primary" data-testid="dataset-create" disabled={create.isPending}>
            {t('datasets.createButton')}
          </button>
        </div>
      </form>
    </section>
  )
}
