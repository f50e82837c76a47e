import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'
import { CheckboxGroup } from '../ui/checkbox-group.js'
import { issueAt } from '../ui/field.js'
import { TextField } from '../ui/inputs.js'

/** Creates a team (`team` null) or renames it and sets the bots it serves and its members. */
export function TeamDialog(props: {
  admin: AdminApi
  team: TeamDetail | null
  bots: Bot[]
  staff: StaffAccount[]
  onSaved: () => void
  onClose: () => void
}) {
  const { t } = useI18n()
  const [name, setName] = useState(props.team?.name ?? '')
  const [botIds, setBotIds] = useState(props.team?.botIds ?? [])
  const [memberIds, setMemberIds] = useState(props.team?.memberIds ?? [])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const body = { name: name.trim(), botIds, memberIds }
      if (props.team) await props.admin.updateTeam(props.team.id, body)
      else await props.admin.createTeam(body)
      props.onSaved()
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  return (
    <Modal title={props.team ? t('teams.edit', { name: props.team.name }) : t('teams.add')} onClose={props.onClose} testId="team-dialog">
      <form noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          id="team-name"
          testId="team-name"
          label={t('teams.name')}
          value={name}
          onChange={setName}
          error={issueAt(error?.issues ?? [], 'name')}
        />
        <CheckboxGroup
          legend={t('teams.bots')}
          testId="team-bots"
          options={props.bots.map((bot) => ({ value: bot.id, label: bot.name }))}
          selected={botIds}
          onChange={setBotIds}
          empty={t('bots.none')}
        />
        <CheckboxGroup
          legend={t('teams.members')}
          testId="team-members"
          options={props.staff.map((member) => ({
            value: member.id,
            label: member.disabled ? `${member.displayName} (${t('people.disabled')})` : member.displayName,
          }))}
          selected={memberIds}
          onChange={setMemberIds}
        />
        {error && (
          <p className="form-error" role="alert">
            {error.status === 409 ? t('teams.nameTaken') : t('error.generic', { message: error.message })}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="team-submit" disabled={busy || !name.trim()}>
            {props.team ? t('admin.save') : t('teams.create')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
