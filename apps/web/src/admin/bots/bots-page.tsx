import { useCallback, useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import { ApiError } from '../../api/api-error.js'
import { adminHash, goTo } from '../../hooks/use-section.js'
import { useI18n } from '../../i18n.js'
import { numeric } from '../ui/data-table.js'
import { issueAt } from '../ui/field.js'
import { TextField } from '../ui/inputs.js'
import { ResourceTable } from '../ui/resource-table.js'
import { useResource } from '../ui/use-resource.js'
import { EnabledBadge } from './enabled-badge.js'

/** Every bot with its model and teams, and a form to create one (then edited on its own page). */
export function BotsPage(props: { admin: AdminApi }) {
  const { t } = useI18n()
  const bots = useResource(useCallback(() => props.admin.bots(), [props.admin]))
  return (
    <>
      <h1>{t('bots.title')}</h1>
      <p className="muted page-intro">{t('bots.intro')}</p>
      <div className="admin-columns">
        <ResourceTable
          resource={bots}
          title={{ id: 'bots-list-title', text: t('bots.list') }}
          empty={t('bots.none')}
          testId="bots-table"
          columns={[t('bots.name'), t('bots.status'), t('bots.model'), t('bots.teams'), numeric(t('bots.conversations'))]}
          row={(bot) => (
            <tr key={bot.id} data-testid="bot-row" data-bot-id={bot.id}>
              <th scope="row">
                <a href={adminHash('bots', bot.id)}>{bot.name}</a>
              </th>
              <td>
                <EnabledBadge enabled={bot.enabled} />
              </td>
              <td>{bot.modelEndpoint?.name ?? <span className="muted">{t('bots.defaultPool')}</span>}</td>
              <td>{bot.teams.map((team) => team.name).join(', ') || <span className="muted">{t('bots.noTeams')}</span>}</td>
              <td className="numeric">{bot.conversations}</td>
            </tr>
          )}
        />
        <NewBotForm admin={props.admin} />
      </div>
    </>
  )
}

function NewBotForm(props: { admin: AdminApi }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [persona, setPersona] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const bot = await props.admin.createBot({ name: name.trim(), persona })
      goTo('bots', bot.id)
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  const issues = error?.issues ?? []
  return (
    <section className="card" aria-labelledby="new-bot-title">
      <h2 id="new-bot-title">{t('bots.new')}</h2>
      <form className="stacked-form" onSubmit={(event) => void submit(event)} data-testid="bot-create-form">
        <TextField
          id="bot-create-name"
          testId="bot-create-name"
          label={t('bots.name')}
          required
          value={name}
          onChange={setName}
          error={issueAt(issues, 'name')}
        />
        <div className={`field${issueAt(issues, 'persona') ? ' has-error' : ''}`}>
          <label htmlFor="bot-create-persona">{t('bots.persona')}</label>
          <textarea
            id="bot-create-persona"
            data-testid="bot-create-persona"
            rows={6}
            placeholder={t('bots.personaPlaceholder')}
            value={persona}
            onChange={(event) => setPersona(event.target.value)}
          />
          <span className="hint">{t('bots.personaHint')}</span>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error.status === 409 ? t('bots.nameTaken') : t('error.generic', { message: error.message })}
          </p>
        )}
        <button type="submit" className="primary" data-testid="bot-create-submit" disabled={busy || !name.trim()}>
          {t('bots.create')}
        </button>
      </form>
    </section>
  )
}
