import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import type { StaffRole } from '../../api/types.js'
import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'
import { CheckboxGroup } from '../ui/checkbox-group.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField, TextField } from '../ui/inputs.js'

interface Draft {
  email: string
  displayName: string
  password: string
  role: StaffRole
  capacity: number
  disabled: boolean
  teamIds: string[]
}

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
  const [draft, setDraft] = useState<Draft>(
    member
      ? { ...member, password: '' }
      : { email: '', displayName: '', password: '', role: 'agent', capacity: 5, disabled: false, teamIds: [] },
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const change = (fields: Partial<Draft>) => setDraft((current) => ({ ...current, ...fields }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const common = { displayName: draft.displayName.trim(), role: draft.role, capacity: draft.capacity, teamIds: draft.teamIds }
      if (member) await props.admin.updateStaff(member.id, { ...common, disabled: draft.disabled })
      else await props.admin.createStaff({ ...common, email: draft.email.trim(), password: draft.password })
      props.onSaved()
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  const issues = error?.issues ?? []
  const conflict = member ? t('people.cannotDemoteSelf') : t('people.emailTaken')
  return (
    <Modal title={member ? t('people.edit', { name: member.displayName }) : t('people.add')} onClose={props.onClose} testId="staff-dialog">
      <form noValidate onSubmit={(event) => void submit(event)}>
        {member ? (
          <p className="muted">{member.email}</p>
        ) : (
          <TextField
            id="staff-email"
            testId="staff-email"
            type="email"
            autoComplete="off"
            label={t('signIn.email')}
            value={draft.email}
            onChange={(email) => change({ email })}
            error={issueAt(issues, 'email')}
          />
        )}
        <TextField
          id="staff-name"
          testId="staff-name"
          label={t('people.displayName')}
          hint={t('people.displayNameHint')}
          value={draft.displayName}
          onChange={(displayName) => change({ displayName })}
          error={issueAt(issues, 'displayName')}
        />
        {!member && (
          <TextField
            id="staff-password"
            testId="staff-password"
            type="password"
            autoComplete="new-password"
            label={t('people.initialPassword')}
            hint={t('password.hint', { min: 10 })}
            value={draft.password}
            onChange={(password) => change({ password })}
            error={issueAt(issues, 'password')}
          />
        )}
        <SelectField
          id="staff-role"
          testId="staff-role"
          label={t('people.role')}
          value={draft.role}
          onChange={(role) => change({ role })}
          options={[
            { value: 'agent', label: t('user.roleAgent') },
            { value: 'admin', label: t('user.roleAdmin') },
          ]}
          error={issueAt(issues, 'role')}
        />
        <NumberField
          id="staff-capacity"
          testId="staff-capacity"
          label={t('people.capacity')}
          hint={t('people.capacityHint')}
          min={1}
          max={100}
          value={draft.capacity}
          onChange={(capacity) => change({ capacity })}
          error={issueAt(issues, 'capacity')}
        />
        <CheckboxGroup
          legend={t('people.teams')}
          options={props.teams.map((team) => ({ value: team.id, label: team.name }))}
          selected={draft.teamIds}
          onChange={(teamIds) => change({ teamIds })}
          empty={t('people.noTeams')}
        />
        {member && !props.isSelf && (
          <CheckField
            id="staff-disabled"
            testId="staff-disabled"
            label={t('people.disable')}
            hint={t('people.disableHint')}
            checked={draft.disabled}
            onChange={(disabled) => change({ disabled })}
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
          <button type="submit" className="primary" data-testid="staff-submit" disabled={busy}>
            {member ? t('admin.save') : t('people.addButton')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
