import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { ConnectionResult, ModelEndpoint } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { adminHash } from '../../hooks/use-section.js'
import { useI18n } from '../../i18n.js'
import { EnabledBadge } from '../bots/enabled-badge.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { ConnectionResultView } from './connection-result.js'
import { ModelEndpointForm } from './model-endpoint-form.js'

/** How often the live replicas are refreshed. */
const refreshMs = 5000

/** The model endpoints: where each model runs, its live replicas, the bots using it; add, change, test, delete. */
export function ModelEndpointsPage(props: { admin: AdminApi }) {
  const { t } = useI18n()
  const { admin } = props
  const queries = useQueryClient()
  // Refreshed every few seconds: the live replicas follow the workers.
  const endpoints = useQuery({ queryKey: queryKeys.modelEndpoints, queryFn: () => admin.modelEndpoints(), refetchInterval: refreshMs })
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.modelEndpoints })
  const notices = useNotices()
  const [editing, setEditing] = useState<ModelEndpoint | 'new' | null>(null)
  const [deleting, setDeleting] = useState<ModelEndpoint | null>(null)
  const [results, setResults] = useState<Record<string, ConnectionResult | 'testing'>>({})

  const test = async (endpoint: ModelEndpoint) => {
    setResults((current) => ({ ...current, [endpoint.id]: 'testing' }))
    try {
      const result = await admin.testSavedModelEndpoint(endpoint.id)
      setResults((current) => ({ ...current, [endpoint.id]: result }))
    } catch (failure) {
      setResults(({ [endpoint.id]: _gone, ...rest }) => rest)
      notices.fail(failure)
    }
  }

  const remove = async (endpoint: ModelEndpoint) => {
    try {
      await admin.deleteModelEndpoint(endpoint.id)
      notices.info(t('endpoint.deleted', { name: endpoint.name }))
      reload()
    } catch (failure) {
      notices.fail(failure)
    }
  }

  return (
    <>
      <div className="page-title-row">
        <h1>{t('endpoints.title')}</h1>
        <button type="button" className="primary" data-testid="endpoint-add" onClick={() => setEditing('new')}>
          {t('endpoint.add')}
        </button>
      </div>
      <p className="muted page-intro">{t('endpoints.intro')}</p>
      <NoticeBar notices={notices} />
      {editing && (
        <ModelEndpointForm
          key={editing === 'new' ? 'new' : editing.id}
          admin={admin}
          endpoint={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null)
            notices.info(t('endpoint.saved', { name: saved.name }))
            reload()
          }}
        />
      )}
      <ResourceTable
        resource={endpoints}
        title={{ id: 'endpoints-list-title', text: t('endpoints.list') }}
        hint={t('endpoints.defaultPool')}
        empty={t('endpoints.none')}
        testId="endpoints-table"
        columns={[t('endpoint.name'), t('endpoint.where'), t('endpoint.liveReplicas'), t('endpoint.usedBy'), t('bots.status')]}
        actions
        row={(endpoint) => {
          const result = results[endpoint.id]
          return (
            <tr key={endpoint.id} data-testid="endpoint-row" data-endpoint-name={endpoint.name}>
              <th scope="row">
                {endpoint.name}
                <div className="muted small">
                  {t(endpoint.kind === 'openai' ? 'endpoint.kind.openai' : 'endpoint.kind.gguf')}
                  {endpoint.leavesNetwork && (
                    <>
                      {' · '}
                      <span className="badge badge-warn" title={t('endpoint.leavesNetwork')}>
                        {t('endpoint.leavesNetworkShort')}
                      </span>
                    </>
                  )}
                </div>
              </th>
              <td className="break">
                {endpoint.kind === 'openai' ? (
                  <>
                    <code>{endpoint.baseUrl}</code>
                    {endpoint.model && <div className="muted small">{endpoint.model}</div>}
                  </>
                ) : (
                  <code>{endpoint.ggufPath}</code>
                )}
              </td>
              <td>
                <Replicas endpoint={endpoint} />
              </td>
              <td>
                {endpoint.bots.length === 0 ? (
                  <span className="muted">{t('endpoint.unused')}</span>
                ) : (
                  endpoint.bots.map((bot, index) => (
                    <span key={bot.id}>
                      {index > 0 && ', '}
                      <a href={adminHash('bots', bot.id)}>{bot.name}</a>
                    </span>
                  ))
                )}
              </td>
              <td>
                <EnabledBadge enabled={endpoint.enabled} />
              </td>
              <td className="row-actions">
                <RowButton label={t('endpoint.editNamed', { name: endpoint.name })} onClick={() => setEditing(endpoint)}>
                  {t('admin.edit')}
                </RowButton>
                <button
                  type="button"
                  data-testid="endpoint-row-test"
                  aria-label={t('endpoint.testNamed', { name: endpoint.name })}
                  disabled={result === 'testing'}
                  onClick={() => void test(endpoint)}
                >
                  {result === 'testing' ? t('endpoint.testing') : t('endpoint.test')}
                </button>
                <RowButton danger label={t('endpoint.deleteNamed', { name: endpoint.name })} onClick={() => setDeleting(endpoint)}>
                  {t('admin.delete')}
                </RowButton>
                {result && result !== 'testing' && <ConnectionResultView result={result} testId="endpoint-row-test-result" />}
              </td>
            </tr>
          )
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={t('endpoint.deleteTitle')}
          text={t('endpoint.deleteText', { name: deleting.name, bots: deleting.bots.length })}
          confirmLabel={t('admin.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </>
  )
}

/** Live replicas of the configured number, each up or down with its load. */
function Replicas(props: { endpoint: ModelEndpoint }) {
  const { t } = useI18n()
  const { endpoint } = props
  const up = endpoint.liveReplicas.filter((replica) => !replica.down).length
  return (
    <div data-testid="endpoint-replicas-live" data-up={up}>
      <span className={up === 0 && endpoint.enabled ? 'warning-text' : undefined}>
        {t('endpoint.replicasUp', { up, configured: endpoint.replicas })}
      </span>
      {endpoint.liveReplicas.length > 0 && (
        <ul className="replica-list">
          {endpoint.liveReplicas.map((replica) => (
            <li key={replica.id}>
              <span className={`dot ${replica.down ? 'dot-down' : 'dot-up'}`} aria-hidden="true" />
              <code>{replica.id}</code>{' '}
              {replica.down ? t('pool.down') : t('endpoint.load', { inFlight: replica.inFlight, capacity: replica.capacity })}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
