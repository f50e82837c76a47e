import { useCallback, useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { StaffAccount, TeamDetail } from '../../api/admin-types.js'
import type { Me } from '../../api/types.js'
import { useI18n } from '../../i18n.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { LoadError, NoticeBar, useNotices } from '../ui/notice.js'
import { useResource } from '../ui/use-resource.js'
import { StaffDialog } from './staff-dialog.js'
import { TeamDialog } from './team-dialog.js'

type Dialog =
  { kind: 'staff'; member: StaffAccount | null } | { kind: 'team'; team: TeamDetail | null } | { kind: 'delete-team'; team: TeamDetail }

/** Staff (role, capacity, teams, disabled) and teams (the bots they serve and their members). */
export function PeoplePage(props: { admin: AdminApi; me: Me }) {
  const { t } = useI18n()
  const { admin } = props
  const staff = useResource(useCallback(() => admin.staff(), [admin]))
  const teams = useResource(useCallback(() => admin.teams(), [admin]))
  const bots = useResource(useCallback(() => admin.bots(), [admin]))
  const notices = useNotices()
  const [dialog, setDialog] = useState<Dialog | null>(null)

  const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]))
  const botNames = new Map((bots.data ?? []).map((bot) => [bot.id, bot.name]))
  const staffNames = new Map((staff.data ?? []).map((member) => [member.id, member.displayName]))
  const names = (ids: string[], from: Map<string, string>) => ids.map((id) => from.get(id) ?? id).join(', ')

  const saved = (text: string) => {
    setDialog(null)
    notices.info(text)
    void staff.reload()
    void teams.reload()
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
      <section className="card" aria-labelledby="staff-title">
        <div className="card-title-row">
          <h2 id="staff-title">{t('people.staff')}</h2>
          <button type="button" className="primary" data-testid="staff-add" onClick={() => setDialog({ kind: 'staff', member: null })}>
            {t('people.add')}
          </button>
        </div>
        <LoadError error={staff.error} onRetry={() => void staff.reload()} />
        {staff.data && (
          <div className="table-scroll">
            <table className="data-table" data-testid="staff-table">
              <thead>
                <tr>
                  <th scope="col">{t('people.displayName')}</th>
                  <th scope="col">{t('signIn.email')}</th>
                  <th scope="col">{t('people.role')}</th>
                  <th scope="col" className="numeric">
                    {t('people.capacity')}
                  </th>
                  <th scope="col">{t('people.teams')}</th>
                  <th scope="col">{t('people.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {staff.data.map((member) => (
                  <tr
                    key={member.id}
                    data-testid="staff-row"
                    data-email={member.email}
                    className={member.disabled ? 'row-disabled' : undefined}
                  >
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
                      <button
                        type="button"
                        aria-label={t('people.edit', { name: member.displayName })}
                        onClick={() => setDialog({ kind: 'staff', member })}
                      >
                        {t('admin.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="teams-title">
        <div className="card-title-row">
          <h2 id="teams-title">{t('teams.title')}</h2>
          <button type="button" className="primary" data-testid="team-add" onClick={() => setDialog({ kind: 'team', team: null })}>
            {t('teams.add')}
          </button>
        </div>
        <p className="hint">{t('teams.intro')}</p>
        <LoadError error={teams.error} onRetry={() => void teams.reload()} />
        {teams.data?.length === 0 && <p className="muted">{t('teams.none')}</p>}
        {teams.data && teams.data.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" data-testid="teams-table">
              <thead>
                <tr>
                  <th scope="col">{t('teams.name')}</th>
                  <th scope="col">{t('teams.bots')}</th>
                  <th scope="col">{t('teams.members')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {teams.data.map((team) => (
                  <tr key={team.id} data-testid="team-row">
                    <th scope="row">{team.name}</th>
                    <td>{names(team.botIds, botNames) || <span className="muted">–</span>}</td>
                    <td>{names(team.memberIds, staffNames) || <span className="muted">–</span>}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        aria-label={t('teams.edit', { name: team.name })}
                        onClick={() => setDialog({ kind: 'team', team })}
                      >
                        {t('admin.edit')}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={t('teams.deleteNamed', { name: team.name })}
                        onClick={() => setDialog({ kind: 'delete-team', team })}
                      >
                        {t('admin.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

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
