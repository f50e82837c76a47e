import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, ModelEndpoint } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { useI18n } from '../../i18n.js'
import { BehaviourFields } from './bot-behaviour-fields.js'
import { botPatch, draftOf, type BotDraft, type DraftProps } from './bot-draft.js'
import { GeneralFields } from './bot-general-fields.js'
import { HandoffFields } from './bot-handoff-fields.js'
import { LimitsFields } from './bot-limits-fields.js'

/** Everything about a bot on one form; the API validates it and its errors show beside the fields. */
export function BotSettingsForm(props: {
  admin: AdminApi
  bot: Bot
  endpoints: ModelEndpoint[]
  onSaved: (bot: Bot) => void
  onDirty: (dirty: boolean) => void
  /** The persona as being edited, for the test chat to try before it is saved. */
  onPersona: (persona: string) => void
}) {
  const { t } = useI18n()
  const initial = useMemo(() => draftOf(props.bot), [props.bot])
  const [draft, setDraftState] = useState(initial)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const patch = botPatch(initial, draft)
  const dirty = Object.keys(patch).length > 0
  const { onDirty, onPersona } = props
  useEffect(() => onDirty(dirty), [dirty, onDirty])
  useEffect(() => onPersona(draft.persona), [draft.persona, onPersona])
  const form = useRef<HTMLFormElement>(null)
  // A refused save takes the admin to the first field it names (scrolled clear of the sticky bar, see admin.css).
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [error])

  const setDraft = (change: (current: BotDraft) => BotDraft) => {
    setStatus(null)
    setDraftState(change)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!dirty) return setStatus(t('bot.noChanges'))
    setBusy(true)
    setError(null)
    try {
      const saved = await props.admin.updateBot(props.bot.id, patch)
      props.onSaved(saved)
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  const issues = error?.issues ?? []
  const sectionProps: DraftProps = { draft, setDraft, issues }
  return (
    <form
      ref={form}
      className="bot-form"
      noValidate
      onSubmit={(event) => void submit(event)}
      data-testid="bot-settings-form"
      aria-label={t('bot.tab.settings')}
    >
      <GeneralFields {...sectionProps} endpoints={props.endpoints} />
      <BehaviourFields {...sectionProps} />
      <HandoffFields {...sectionProps} />
      <LimitsFields {...sectionProps} />
      {/* Above the sticky bar, not in it: a long list of problems would make the bar cover the sections. */}
      {error && (
        <div className="form-error" role="alert" data-testid="bot-save-error">
          <p>{error.status === 409 ? t('bots.nameTaken') : t('bot.saveFailed')}</p>
          {issues.length > 0 ? (
            <ul>
              {issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          ) : (
            error.status !== 409 && <p>{error.message}</p>
          )}
        </div>
      )}
      <div className="form-footer">
        {status && (
          <p role="status" className="muted">
            {status}
          </p>
        )}
        {!error && !status && props.bot.updatedAt && (
          <p className="muted" role="status" data-testid="bot-save-state">
            {dirty ? t('bot.unsaved') : t('bot.saved')}
          </p>
        )}
        <button type="button" disabled={!dirty || busy} onClick={() => setDraft(() => initial)}>
          {t('bot.discard')}
        </button>
        <button type="submit" className="primary" data-testid="bot-save" disabled={busy}>
          {busy ? t('admin.saving') : t('bot.save')}
        </button>
      </div>
    </form>
  )
}
