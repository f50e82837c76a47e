import type { ModelEndpoint } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'
import { CheckField, describedBy, Field, issueAt } from '../ui/field.js'
import { SelectField, TextField } from '../ui/inputs.js'
import { settingSetter, type DraftProps } from './bot-draft.js'

const defaultPool = ''

/** Name, on/off, model, reply language and the persona (the system prompt). */
export function GeneralFields(props: DraftProps & { endpoints: ModelEndpoint[] }) {
  const { t } = useI18n()
  const { draft, setDraft, issues } = props
  const set = settingSetter(setDraft)
  const personaError = issueAt(issues, 'persona')
  return (
    <fieldset className="form-section">
      <legend>{t('bot.section.general')}</legend>
      <div className="field-grid">
        <TextField
          id="bot-name"
          testId="bot-name"
          label={t('bots.name')}
          value={draft.name}
          onChange={(name) => setDraft((d) => ({ ...d, name }))}
          error={issueAt(issues, 'name')}
        />
        <SelectField
          id="bot-model"
          testId="bot-model"
          label={t('bot.model')}
          hint={t('bot.modelHint')}
          value={draft.modelEndpointId ?? defaultPool}
          onChange={(value) => setDraft((d) => ({ ...d, modelEndpointId: value === defaultPool ? null : value }))}
          error={issueAt(issues, 'modelEndpointId')}
          options={[
            { value: defaultPool, label: t('bots.defaultPool') },
            ...props.endpoints.map((endpoint) => ({
              value: endpoint.id,
              label: endpoint.enabled ? endpoint.name : `${endpoint.name} (${t('admin.disabled')})`,
            })),
          ]}
        />
        <SelectField
          id="bot-language"
          testId="bot-language"
          label={t('bot.language')}
          value={draft.settings.language}
          onChange={(language) => set('language', language)}
          error={issueAt(issues, 'language')}
          options={[
            { value: 'zh', label: t('lang.zh') },
            { value: 'en', label: t('lang.en') },
          ]}
        />
        <CheckField
          id="bot-enabled"
          testId="bot-enabled"
          label={t('bot.enabled')}
          hint={t('bot.enabledHint')}
          checked={draft.enabled}
          onChange={(enabled) => setDraft((d) => ({ ...d, enabled }))}
        />
      </div>
      <Field id="bot-persona" label={t('bots.persona')} hint={t('bots.personaHint')} error={personaError}>
        <textarea
          id="bot-persona"
          data-testid="bot-persona"
          rows={10}
          value={draft.persona}
          onChange={(event) => {
            const persona = event.target.value
            setDraft((d) => ({ ...d, persona }))
          }}
          {...describedBy('bot-persona', true, personaError)}
        />
      </Field>
    </fieldset>
  )
}
