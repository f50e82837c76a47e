import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, BotSettings } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { FormError } from '../../components/form-error.js'
import { useI18n } from '../../i18n.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField } from '../ui/inputs.js'

type ToolSettings = BotSettings['tools']

/**
 * The bot's built-in tools and the limits of its tool calls, saved as the `tools` section of its
 * settings (the same update as the Settings tab). Held back while that tab has unsaved changes:
 * saving here reloads the bot, which would drop them.
 */
export function ToolSettingsForm(props: { admin: AdminApi; bot: Bot; settingsDirty: boolean; onSaved: (bot: Bot) => void }) {
  const { t } = useI18n()
  const [tools, setTools] = useState<ToolSettings>(props.bot.settings.tools)
  const [saved, setSaved] = useState(false)
  const save = useMutation({
    mutationFn: (next: ToolSettings) => props.admin.updateBot(props.bot.id, { settings: { tools: next } }),
    onMutate: () => setSaved(false),
    onSuccess: (bot) => {
      setSaved(true)
      props.onSaved(bot)
    },
  })
  const issues = (save.error ? ApiError.from(save.error).issues : []).map((issue) => ({
    ...issue,
    path: issue.path.replace(/^tools\./, ''),
  }))
  const change = (next: Partial<ToolSettings>) => {
    setSaved(false)
    setTools((current) => ({ ...current, ...next }))
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(tools)
  }

  return (
    <form className="card" noValidate onSubmit={submit} aria-labelledby="tool-settings-title" data-testid="tool-settings">
      <h2 id="tool-settings-title">{t('tools.settings')}</h2>
      <CheckField
        id="tools-search-knowledge"
        testId="tools-search-knowledge"
        label={t('tools.searchKnowledge')}
        checked={tools.builtins.searchKnowledge}
        onChange={(searchKnowledge) => change({ builtins: { ...tools.builtins, searchKnowledge } })}
      />
      <CheckField
        id="tools-handoff"
        testId="tools-handoff"
        label={t('tools.handoff')}
        checked={tools.builtins.handoff}
        onChange={(handoff) => change({ builtins: { ...tools.builtins, handoff } })}
      />
      <div className="field-grid">
        <NumberField
          id="tools-max-steps"
          testId="tools-max-steps"
          label={t('tools.maxSteps')}
          hint={t('tools.maxStepsHint')}
          min={2}
          max={10}
          value={tools.maxSteps}
          onChange={(maxSteps) => change({ maxSteps })}
          error={issueAt(issues, 'maxSteps')}
        />
        <NumberField
          id="tools-timeout"
          testId="tools-timeout"
          label={t('tools.timeoutMs')}
          min={500}
          max={60000}
          step={500}
          value={tools.timeoutMs}
          onChange={(timeoutMs) => change({ timeoutMs })}
          error={issueAt(issues, 'timeoutMs')}
        />
        <NumberField
          id="tools-max-result"
          testId="tools-max-result"
          label={t('tools.maxResultChars')}
          hint={t('tools.maxResultCharsHint')}
          min={200}
          max={100000}
          step={100}
          value={tools.maxResultChars}
          onChange={(maxResultChars) => change({ maxResultChars })}
          error={issueAt(issues, 'maxResultChars')}
        />
      </div>
      {save.error && issues.length === 0 && <FormError message={t('error.generic', { message: ApiError.from(save.error).message })} />}
      <div className="button-row">
        <button type="submit" className="primary" data-testid="tools-save" disabled={save.isPending || props.settingsDirty}>
          {save.isPending ? t('admin.saving') : t('tools.saveSettings')}
        </button>
        {props.settingsDirty && <span className="muted">{t('tools.settingsBlocked')}</span>}
        {saved && (
          <span className="muted" role="status">
            {t('tools.settingsSaved')}
          </span>
        )}
      </div>
    </form>
  )
}
