import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
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
          <label htmlFor="password-current">{t('password.current')}</label>
          <input
            id="password-current"
            data-testid="password-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
          />
          <label htmlFor="password-new">{t('password.new')}</label>
          <input
            id="password-new"
            data-testid="password-new"
            type="password"
            autoComplete="new-password"
            required
            minLength={minLength}
            aria-describedby="password-new-hint"
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
          <span id="password-new-hint" className="hint">
            {t('password.hint', { min: minLength })}
          </span>
          <label htmlFor="password-repeat">{t('password.repeat')}</label>
          <input
            id="password-repeat"
            data-testid="password-repeat"
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
          />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
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
