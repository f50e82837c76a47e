import { loginBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
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
  // Checked with the API's own schema before it is sent.
  const form = useForm({ resolver: zodResolver(loginBody), defaultValues: { email: '', password: '' } })
  const [failure, setFailure] = useState<string | null>(null)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async ({ email, password }) => {
    setFailure(null)
    try {
      const { token } = await ApiClient.login(email, password)
      props.onSignedIn(token)
    } catch (caught) {
      const apiError = ApiError.from(caught)
      if (apiError.status === 401) setFailure(t('signIn.invalid'))
      else if (apiError.status === 429) setFailure(t('signIn.tooMany'))
      else setFailure(t('signIn.failed', { message: apiError.message }))
    }
  })
  const invalid = errors.email || errors.password ? t('signIn.check') : null

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
            field={form.register('email', { setValueAs: (value: string) => value.trim() })}
            invalid={!!errors.email}
          />
          <LabelledInput
            id="login-password"
            type="password"
            autoComplete="current-password"
            label={t('signIn.password')}
            field={form.register('password')}
            invalid={!!errors.password}
          />
          <FormError message={failure ?? invalid} />
          <button type="submit" className="primary" data-testid="login-submit" disabled={isSubmitting}>
            {isSubmitting ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </form>
      </main>
      <footer className="app-footer">
        <HealthIndicator />
      </footer>
    </div>
  )
}
