import { useQuery, useQueryClient } from '@tanstack/react-query'
import { apiKeyBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import type { AdminApi } from '../../api/admin-client.js'
import type { ApiKey } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { localeOf, useI18n } from '../../i18n.js'
import { Timestamp } from '../../components/timestamp.js'
import { formatFullTime } from '../../time-format.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { NewKeyDialog } from './new-key-dialog.js'

/** Keys for the OpenAI-compatible `/v1` API: list, create (the key shown once), revoke. */
export function ApiKeysPage(props: { admin: AdminApi }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  const { admin } = props
  const queries = useQueryClient()
  const keys = useQuery({ queryKey: queryKeys.apiKeys, queryFn: () => admin.apiKeys() })
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.apiKeys })
  const notices = useNotices()
  // The API's own schema for a new key's name.
  const form = useForm({ resolver: zodResolver(apiKeyBody), defaultValues: { name: '' } })
  const name = useWatch({ control: form.control, name: 'name' })
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<{ apiKey: ApiKey; key: string } | null>(null)
  const [revoking, setRevoking] = useState<ApiKey | null>(null)

  const create = form.handleSubmit(async (body) => {
    setError(null)
    try {
      setCreated(await admin.createApiKey(body.name))
      form.reset()
      reload()
    } catch (failure) {
      setError(t('error.generic', { message: ApiError.from(failure).message }))
    }
  })

  const revoke = async (key: ApiKey) => {
    try {
      await admin.revokeApiKey(key.id)
      notices.info(t('keys.revoked', { name: key.name }))
      reload()
    } catch (failure) {
      notices.fail(failure)
    }
  }

  const when = (iso: string | null) => <Timestamp iso={iso} locale={locale} empty={<span className="muted">{t('keys.never')}</span>} />

  return (
    <>
      <h1>{t('keys.title')}</h1>
      <p className="muted page-intro">{t('keys.intro')}</p>
      <NoticeBar notices={notices} />
      <section className="card" aria-labelledby="key-create-title">
        <h2 id="key-create-title">{t('keys.create')}</h2>
        <form className="inline-form" onSubmit={(event) => void create(event)}>
          <label htmlFor="key-name">{t('keys.name')}</label>
          <input
            id="key-name"
            data-testid="key-name"
            required
            maxLength={64}
            placeholder={t('keys.namePlaceholder')}
            {...form.register('name')}
          />
          <button type="submit" className="primary" data-testid="key-create" disabled={form.formState.isSubmitting || !name.trim()}>
            {t('keys.createButton')}
          </button>
        </form>
        <FormError message={error} />
      </section>
      <ResourceTable
        resource={keys}
        title={{ id: 'keys-list-title', text: t('keys.list') }}
        empty={t('keys.none')}
        testId="keys-table"
        columns={[t('keys.name'), t('keys.prefix'), t('keys.created'), t('keys.createdBy'), t('keys.lastUsed'), t('bots.status')]}
        actions
        row={(key) => (
          <tr
            key={key.id}
            data-testid="key-row"
            data-revoked={key.revokedAt !== null}
            className={key.revokedAt ? 'row-disabled' : undefined}
          >
            <th scope="row">{key.name}</th>
            <td>
              <code>{key.prefix}…</code>
            </td>
            <td>{when(key.createdAt)}</td>
            <td>{key.createdBy?.displayName ?? <span className="muted">–</span>}</td>
            <td>{when(key.lastUsedAt)}</td>
            <td>
              {key.revokedAt ? (
                <span className="badge badge-off" title={formatFullTime(key.revokedAt, locale)}>
                  {t('keys.revokedBadge')}
                </span>
              ) : (
                <span className="badge badge-ok">{t('keys.active')}</span>
              )}
            </td>
            <td className="row-actions">
              {!key.revokedAt && (
                <RowButton danger label={t('keys.revokeNamed', { name: key.name })} onClick={() => setRevoking(key)}>
                  {t('keys.revoke')}
                </RowButton>
              )}
            </td>
          </tr>
        )}
      />
      {created && <NewKeyDialog name={created.apiKey.name} secret={created.key} onClose={() => setCreated(null)} />}
      {revoking && (
        <ConfirmDialog
          title={t('keys.revokeTitle')}
          text={t('keys.revokeText', { name: revoking.name })}
          confirmLabel={t('keys.revoke')}
          onClose={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        />
      )}
    </>
  )
}
