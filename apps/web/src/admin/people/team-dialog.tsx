import { teamBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { Controller, useForm, useWatch } from 'react-hook-form'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'
import { CheckboxGroup } from '../ui/checkbox-group.js'
import { issueAt } from '../ui/field.js'
import { TextField } from '../ui/inputs.js'

// The API's own schema, every part of the team given.
const teamForm = teamBody.required()

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
  const form = useForm({
    resolver: zodResolver(teamForm),
    defaultValues: { name: props.team?.name ?? '', botIds: props.team?.botIds ?? [], memberIds: props.team?.memberIds ?? [] },
  })
  const name = useWatch({ control: form.control, name: 'name' })
  const [error, setError] = useState<ApiError | null>(null)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async (body) => {
    setError(null)
    try {
      if (props.team) await props.admin.updateTeam(props.team.id, body)
      else await props.admin.createTeam(body)
      props.onSaved()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  })

  return (
    <Modal title={props.team ? t('teams.edit', { name: props.team.name }) : t('teams.add')} onClose={props.onClose} testId="team-dialog">
      <form noValidate onSubmit={(event) => void submit(event)}>
        <Controller
          control={form.control}
          name="name"
          render={({ field }) => (
            <TextField
              id="team-name"
              testId="team-name"
              label={t('teams.name')}
              value={field.value}
              onChange={field.onChange}
              error={issueAt(error?.issues ?? [], 'name') ?? (errors.name ? t('teams.nameInvalid') : undefined)}
            />
          )}
        />
        <Controller
          control={form.control}
          name="botIds"
          render={({ field }) => (
            <CheckboxGroup
              legend={t('teams.bots')}
              testId="team-bots"
              options={props.bots.map((bot) => ({ value: bot.id, label: bot.name }))}
              selected={field.value}
              onChange={field.onChange}
              empty={t('bots.none')}
            />
          )}
        />
        <Controller
          control={form.control}
          name="memberIds"
          render={({ field }) => (
            <CheckboxGroup
              legend={t('teams.members')}
              testId="team-members"
              options={props.staff.map((member) => ({
                value: member.id,
                label: member.disabled ? `${member.displayName} (${t('people.disabled')})` : member.displayName,
              }))}
              selected={field.value}
              onChange={field.onChange}
            />
          )}
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
          <button type="submit" className="primary" data-testid="team-submit" disabled={isSubmitting || !name.trim()}>
            {props.team ? t('admin.save') : t('teams.create')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
