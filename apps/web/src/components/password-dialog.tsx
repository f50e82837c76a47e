import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'
import { LabelledInput } from './labelled-input.js'
import { Modal } from './modal.js'

const minLength = 10

/** `PUT /api/me/password`: the current password, the new one twice. Other sessions end; this one stays. */
export function PasswordDialog(props: { api: ApiClient; onClose: () => void }) {
  const { t } = useI18n()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (next.length < minLength) return setError(t('password.tooShort', { min: minLength }))
    if (next !== repeat) return setError(t('password.mismatch'))
    setBusy(true)
    setError(null)
    try {
      await props.api.changePassword(current, next)
      setDone(true)
    } catch (failure) {
      const apiError = ApiError.from(failure)
      if (apiError.status === 403) setError(t('password.wrongCurrent'))
      else if (apiError.status === 429) setError(t('signIn.tooMany'))
      else setError(t('error.generic', { message: apiError.message }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title={t('password.change')} onClose={props.onClose} testId="password-dialog">
      {done ? (
        <div className="modal-body">
          <p role="status" data-testid="password-changed">
            {t('password.changed')}
          </p>
          <div className="modal-actions">
            <button type="button" className="primary" onClick={props.onClose}>
              {t('help.close')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <LabelledInput
            id="password-current"
            type="password"
            autoComplete="current-password"
            label={t('password.current')}
            value={current}
            onChange={setCurrent}
          />
          <LabelledInput
            id="password-new"
            type="password"
            autoComplete="new-password"
            minLength={minLength}
            label={t('password.new')}
            hint={t('password.hint', { min: minLength })}
            value={next}
            onChange={setNext}
          />
          <LabelledInput
            id="password-repeat"
            type="password"
            autoComplete="new-password"
            label={t('password.repeat')}
            value={repeat}
            onChange={setRepeat}
          />
          <FormError message={error} />
          <div className="modal-actions">
            <button type="button" onClick={props.onClose}>
              {t('action.cancel')}
            </button>
            <button type="submit" className="primary" data-testid="password-submit" disabled={busy}>
              {t('password.submit')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
