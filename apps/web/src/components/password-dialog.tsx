import { passwordChangeBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'
import { LabelledInput } from './labelled-input.js'
import { Modal } from './modal.js'

// The API's rules for the new password, and the repeat that must match it.
const passwordForm = passwordChangeBody
  .extend({ repeat: z.string() })
  .refine((form) => form.newPassword === form.repeat, { path: ['repeat'], message: 'mismatch' })
const minLength = passwordChangeBody.shape.newPassword.minLength ?? 1

/** `PUT /api/me/password`: the current password, the new one twice. Other sessions end; this one stays. */
export function PasswordDialog(props: { api: ApiClient; onClose: () => void }) {
  const { t } = useI18n()
  const form = useForm({ resolver: zodResolver(passwordForm), defaultValues: { currentPassword: '', newPassword: '', repeat: '' } })
  const [failure, setFailure] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setFailure(null)
    try {
      await props.api.changePassword(currentPassword, newPassword)
      setDone(true)
    } catch (caught) {
      const apiError = ApiError.from(caught)
      if (apiError.status === 403) setFailure(t('password.wrongCurrent'))
      else if (apiError.status === 429) setFailure(t('signIn.tooMany'))
      else setFailure(t('error.generic', { message: apiError.message }))
    }
  })
  const invalid = errors.newPassword
    ? t('password.tooShort', { min: minLength })
    : errors.repeat
      ? t('password.mismatch')
      : errors.currentPassword
        ? t('password.wrongCurrent')
        : null

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
            field={form.register('currentPassword')}
            invalid={!!errors.currentPassword}
          />
          <LabelledInput
            id="password-new"
            type="password"
            autoComplete="new-password"
            minLength={minLength}
            label={t('password.new')}
            hint={t('password.hint', { min: minLength })}
            field={form.register('newPassword')}
            invalid={!!errors.newPassword}
          />
          <LabelledInput
            id="password-repeat"
            type="password"
            autoComplete="new-password"
            label={t('password.repeat')}
            field={form.register('repeat')}
            invalid={!!errors.repeat}
          />
          <FormError message={failure ?? invalid} />
          <div className="modal-actions">
            <button type="button" onClick={props.onClose}>
              {t('action.cancel')}
            </button>
            <button type="submit" className="primary" data-testid="password-submit" disabled={isSubmitting}>
              {t('password.submit')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
