import { createStaffBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { z } from 'zod'
import type { AdminApi } from '../../api/admin-client.js'
import type { StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'
import { CheckboxGroup } from '../ui/checkbox-group.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField, TextField } from '../ui/inputs.js'

// The API's own rules for an account; a change leaves the e-mail and password as they are.
const newStaffForm = createStaffBody.extend({ disabled: z.boolean() })
const changedStaffForm = newStaffForm.extend({ email: z.string(), password: z.string() })
type Draft = z.input<typeof newStaffForm>
const passwordMin = createStaffBody.shape.password.minLength ?? 1

/** Adds a member of staff (`member` null) or changes one: name, role, capacity, teams, disabled. */
export function StaffDialog(props: {
  admin: AdminApi
  member: StaffAccount | null
  teams: TeamDetail[]
  isSelf: boolean
  onSaved: () => void
  onClose: () => void
}) {
  const { t } = useI18n()
  const { member } = props
  const form = useForm<Draft, unknown, z.output<typeof newStaffForm>>({
    resolver: zodResolver(member ? changedStaffForm : newStaffForm),
    defaultValues: member
      ? { ...member, password: '' }
      : { email: '', displayName: '', password: '', role: 'agent', capacity: 5, disabled: false, teamIds: [] },
  })
  const [error, setError] = useState<ApiError | null>(null)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async ({ email, password, disabled, ...common }) => {
    setError(null)
    try {
      if (member) await props.admin.updateStaff(member.id, { ...common, disabled })
      else await props.admin.createStaff({ ...common, email, password })
      props.onSaved()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  })

  const issues = error?.issues ?? []
  // The API's message for a field it refused, else the same schema's here.
  const problem = (field: keyof Draft) => issueAt(issues, field) ?? errors[field]?.message
  const conflict = member ? t('people.cannotDemoteSelf') : t('people.emailTaken')
  return (
    <Modal title={member ? t('people.edit', { name: member.displayName }) : t('people.add')} onClose={props.onClose} testId="staff-dialog">
      <form noValidate onSubmit={(event) => void submit(event)}>
        {member ? (
          <p className="muted">{member.email}</p>
        ) : (
          <Controller
            control={form.control}
            name="email"
            render={({ field }) => (
              <TextField
                id="staff-email"
                testId="staff-email"
                type="email"
                autoComplete="off"
                label={t('signIn.email')}
                value={field.value}
                onChange={field.onChange}
                error={problem('email')}
              />
            )}
          />
        )}
        <Controller
          control={form.control}
          name="displayName"
          render={({ field }) => (
            <TextField
              id="staff-name"
              testId="staff-name"
              label={t('people.displayName')}
              hint={t('people.displayNameHint')}
              value={field.value}
              onChange={field.onChange}
              error={problem('displayName')}
            />
          )}
        />
        {!member && (
          <Controller
            control={form.control}
            name="password"
            render={({ field }) => (
              <TextField
                id="staff-password"
                testId="staff-password"
                type="password"
                autoComplete="new-password"
                label={t('people.initialPassword')}
                hint={t('password.hint', { min: passwordMin })}
                value={field.value}
                onChange={field.onChange}
                error={problem('password')}
              />
            )}
          />
        )}
        <Controller
          control={form.control}
          name="role"
          render={({ field }) => (
            <SelectField
              id="staff-role"
              testId="staff-role"
              label={t('people.role')}
              value={field.value}
              onChange={field.onChange}
              options={[
                { value: 'agent', label: t('user.roleAgent') },
                { value: 'admin', label: t('user.roleAdmin') },
              ]}
              error={problem('role')}
            />
          )}
        />
        <Controller
          control={form.control}
          name="capacity"
          render={({ field }) => (
            <NumberField
              id="staff-capacity"
              testId="staff-capacity"
              label={t('people.capacity')}
              hint={t('people.capacityHint')}
              min={1}
              max={100}
              value={field.value ?? 1}
              onChange={field.onChange}
              error={problem('capacity')}
            />
          )}
        />
        <Controller
          control={form.control}
          name="teamIds"
          render={({ field }) => (
            <CheckboxGroup
              legend={t('people.teams')}
              options={props.teams.map((team) => ({ value: team.id, label: team.name }))}
              selected={field.value ?? []}
              onChange={field.onChange}
              empty={t('people.noTeams')}
            />
          )}
        />
        {member && !props.isSelf && (
          <Controller
            control={form.control}
            name="disabled"
            render={({ field }) => (
              <CheckField
                id="staff-disabled"
                testId="staff-disabled"
                label={t('people.disable')}
                hint={t('people.disableHint')}
                checked={field.value}
                onChange={field.onChange}
              />
            )}
          />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error.status === 409 ? conflict : t('error.generic', { message: error.message })}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="staff-submit" disabled={isSubmitting}>
            {member ? t('admin.save') : t('people.addButton')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
