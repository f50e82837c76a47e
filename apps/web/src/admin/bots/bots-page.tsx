import { createBotBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Controller, useForm, useWatch } from 'react-hook-form'
import type { AdminApi } from '../../api/admin-client.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { adminHash, goTo } from '../../hooks/use-section.js'
import { useI18n } from '../../i18n.js'
import { numeric } from '../ui/data-table.js'
import { issueAt } from '../ui/field.js'
import { TextField } from '../ui/inputs.js'
import { ResourceTable } from '../ui/resource-table.js'
import { EnabledBadge } from './enabled-badge.js'

const newBotForm = createBotBody.pick({ name: true, persona: true })

/** Every bot with its model and teams, and a form to create one (then edited on its own page). */
export function BotsPage(props: { admin: AdminApi }) {
  const { t } = useI18n()
  const bots = useQuery({ queryKey: queryKeys.bots, queryFn: () => props.admin.bots() })
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
  const queries = useQueryClient()
  // The API's own schema for a new bot (its name and persona here; everything else takes its default).
  const form = useForm({ resolver: zodResolver(newBotForm), defaultValues: { name: '', persona: '' } })
  const name = useWatch({ control: form.control, name: 'name' })
  const [error, setError] = useState<ApiError | null>(null)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async (body) => {
    setError(null)
    try {
      const bot = await props.admin.createBot(body)
      void queries.invalidateQueries({ queryKey: queryKeys.bots })
      goTo('bots', bot.id)
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  })

  const issues = error?.issues ?? []
  const invalidKeys = { name: 'bots.nameInvalid', persona: 'bots.personaTooLong' } as const
  const invalid = (field: 'name' | 'persona') => issueAt(issues, field) ?? (errors[field] ? t(invalidKeys[field]) : undefined)
  return (
    <section className="card" aria-labelledby="new-bot-title">
      <h2 id="new-bot-title">{t('bots.new')}</h2>
      <form className="stacked-form" onSubmit={(event) => void submit(event)} data-testid="bot-create-form">
        <Controller
          control={form.control}
          name="name"
          render={({ field }) => (
            <TextField
              id="bot-create-name"
              testId="bot-create-name"
              label={t('bots.name')}
              required
              value={field.value}
              onChange={field.onChange}
              error={invalid('name')}
            />
          )}
        />
        <div className={`field${invalid('persona') ? ' has-error' : ''}`}>
          <label htmlFor="bot-create-persona">{t('bots.persona')}</label>
          <textarea
            id="bot-create-persona"
            data-testid="bot-create-persona"
            rows={6}
            placeholder={t('bots.personaPlaceholder')}
            {...form.register('persona')}
          />
          <span className="hint">{t('bots.personaHint')}</span>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error.status === 409 ? t('bots.nameTaken') : t('error.generic', { message: error.message })}
          </p>
        )}
        <button type="submit" className="primary" data-testid="bot-create-submit" disabled={isSubmitting || !name.trim()}>
          {t('bots.create')}
        </button>
      </form>
    </section>
  )
}
