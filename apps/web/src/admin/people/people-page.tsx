import type { MeResponse } from '@chorus/protocol'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import { queryKeys } from '../../api/query-keys.js'
import type { StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { numeric } from '../ui/data-table.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { StaffDialog } from './staff-dialog.js'
import { TeamDialog } from './team-dialog.js'

type Dialog =
  { kind: 'staff'; member: StaffAccount | null } | { kind: 'team'; team: TeamDetail | null } | { kind: 'delete-team'; team: TeamDetail }

/** Staff (role, capacity, teams, disabled) and teams (the bots they serve and their members). */
export function PeoplePage(props: { admin: AdminApi; me: MeResponse }) {
  const { t } = useI18n()
  const { admin } = props
  const queries = useQueryClient()
  const staff = useQuery({ queryKey: queryKeys.staff, queryFn: () => admin.staff() })
  const teams = useQuery({ queryKey: queryKeys.teams, queryFn: () => admin.teams() })
  const bots = useQuery({ queryKey: queryKeys.bots, queryFn: () => admin.bots() })
  const notices = useNotices()
  const [dialog, setDialog] = useState<Dialog | null>(null)

  const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]))
  const botNames = new Map((bots.data ?? []).map((bot) => [bot.id, bot.name]))
  const staffNames = new Map((staff.data ?? []).map((member) => [member.id, member.displayName]))
  const names = (ids: string[], from: Map<string, string>) => ids.map((id) => from.get(id) ?? id).join(', ')

  const saved = (text: string) => {
    setDialog(null)
    notices.info(text)
    void queries.invalidateQueries({ queryKey: queryKeys.staff })
    void queries.invalidateQueries({ queryKey: queryKeys.teams })
    // A team changed serves other bots now.
    void queries.invalidateQueries({ queryKey: queryKeys.bots, exact: true })
  }

  const deleteTeam = async (team: TeamDetail) => {
    try {
      await admin.deleteTeam(team.id)
      saved(t('teams.deleted', { name: team.name }))
    } catch (failure) {
      notices.fail(failure)
    }
  }

  return (
    <>
      <h1>{t('people.title')}</h1>
      <NoticeBar notices={notices} />
      <ResourceTable
        resource={staff}
        title={{ id: 'staff-title', text: t('people.staff') }}
        titleAction={
          <button type="button" className="primary" data-testid="staff-add" onClick={() => setDialog({ kind: 'staff', member: null })}>
            {t('people.add')}
          </button>
        }
        testId="staff-table"
        columns={[
          t('people.displayName'),
          t('signIn.email'),
          t('people.role'),
          numeric(t('people.capacity')),
          t('people.teams'),
          t('people.status'),
        ]}
        actions
        row={(member) => (
          <tr key={member.id} data-testid="staff-row" data-email={member.email} className={member.disabled ? 'row-disabled' : undefined}>
            <th scope="row">{member.displayName}</th>
            <td>{member.email}</td>
            <td>{t(member.role === 'admin' ? 'user.roleAdmin' : 'user.roleAgent')}</td>
            <td className="numeric">{member.capacity}</td>
            <td>{names(member.teamIds, teamNames) || <span className="muted">{t('people.noTeams')}</span>}</td>
            <td>
              {member.disabled ? (
                <span className="badge badge-off">{t('people.disabled')}</span>
              ) : (
                <span className={`badge ${member.online ? 'badge-ok' : 'badge-off'}`}>
                  {t(member.online ? 'transfer.online' : 'transfer.offline')}
                </span>
              )}
            </td>
            <td className="row-actions">
              <RowButton label={t('people.edit', { name: member.displayName })} onClick={() => setDialog({ kind: 'staff', member })}>
                {t('admin.edit')}
              </RowButton>
            </td>
          </tr>
        )}
      />

      <ResourceTable
        resource={teams}
        title={{ id: 'teams-title', text: t('teams.title') }}
        titleAction={
          <button type="button" className="primary" data-testid="team-add" onClick={() => setDialog({ kind: 'team', team: null })}>
            {t('teams.add')}
          </button>
        }
        hint={t('teams.intro')}
        empty={t('teams.none')}
        testId="teams-table"
        columns={[t('teams.name'), t('teams.bots'), t('teams.members')]}
        actions
        row={(team) => (
          <tr key={team.id} data-testid="team-row">
            <th scope="row">{team.name}</th>
            <td>{names(team.botIds, botNames) || <span className="muted">–</span>}</td>
            <td>{names(team.memberIds, staffNames) || <span className="muted">–</span>}</td>
            <td className="row-actions">
              <RowButton label={t('teams.edit', { name: team.name })} onClick={() => setDialog({ kind: 'team', team })}>
                {t('admin.edit')}
              </RowButton>
              <RowButton
                danger
                label={t('teams.deleteNamed', { name: team.name })}
                onClick={() => setDialog({ kind: 'delete-team', team })}
              >
                {t('admin.delete')}
              </RowButton>
            </td>
          </tr>
        )}
      />

      {dialog?.kind === 'staff' && (
        <StaffDialog
          admin={admin}
          member={dialog.member}
          teams={teams.data ?? []}
          isSelf={dialog.member?.id === props.me.id}
          onClose={() => setDialog(null)}
          onSaved={() => saved(t('people.saved'))}
        />
      )}
      {dialog?.kind === 'team' && (
        <TeamDialog
          admin={admin}
          team={dialog.team}
          bots={bots.data ?? []}
          staff={staff.data ?? []}
          onClose={() => setDialog(null)}
          onSaved={() => saved(t('teams.saved'))}
        />
      )}
      {dialog?.kind === 'delete-team' && (
        <ConfirmDialog
          title={t('teams.deleteTitle')}
          text={t('teams.deleteText', { name: dialog.team.name })}
          confirmLabel={t('admin.delete')}
          onClose={() => setDialog(null)}
          onConfirm={() => void deleteTeam(dialog.team)}
        />
      )}
    </>
  )
}
