import { useState, type FormEvent } from 'react'
import { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'
import { HealthIndicator } from './health-indicator.js'
import { LabelledInput } from './labelled-input.js'
import { LanguageSwitch } from './language-switch.js'

/** E-mail and password; on success hands the session's token up. */
export function SignInPage(props: { onSignedIn: (token: string) => void }) {
  const { t } = useI18n()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { token } = await ApiClient.login(email.trim(), password)
      props.onSignedIn(token)
    } catch (failure) {
      const apiError = ApiError.from(failure)
      if (apiError.status === 401) setError(t('signIn.invalid'))
      else if (apiError.status === 429) setError(t('signIn.tooMany'))
      else setError(t('signIn.failed', { message: apiError.message }))
      setBusy(false)
    }
  }

  return (
    <div className="sign-in-page">
      <header className="sign-in-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main className="sign-in-card">
        <h1>{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        <form onSubmit={(event) => void submit(event)}>
          <LabelledInput
            id="login-email"
            type="email"
            autoComplete="username"
            label={t('signIn.email')}
            value={email}
            onChange={setEmail}
          />
          <LabelledInput
            id="login-password"
            type="password"
            autoComplete="current-password"
            label={t('signIn.password')}
            value={password}
            onChange={setPassword}
          />
          <FormError message={error} />
          <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
            {busy ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </form>
      </main>
      <footer className="app-footer">
        <HealthIndicator />
      </footer>
    </div>
  )
}
