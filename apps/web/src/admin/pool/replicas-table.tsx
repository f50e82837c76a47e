import type { PoolSnapshot } from '../../api/admin-types.js'
import { localeOf, useI18n, type MessageKey } from '../../i18n.js'
import { DataTable, numeric } from '../ui/data-table.js'
import { formatNumber } from '../ui/format.js'

const outcomeLabels: Record<string, MessageKey> = {
  completed: 'pool.outcome.completed',
  cancelled: 'pool.outcome.cancelled',
  failed: 'pool.outcome.failed',
  retried: 'pool.outcome.retried',
}

/** The replicas online now, up or down, with their load; and the pool's totals since it started. */
export function ReplicasTable(props: { snapshot: PoolSnapshot }) {
  const { t, language } = useI18n()
  const { snapshot } = props
  const locale = localeOf(language)
  const prompts = Object.entries(snapshot.prompts).sort(([a], [b]) => a.localeCompare(b))
  return (
    <section className="card" aria-labelledby="pool-replicas-title">
      <h2 id="pool-replicas-title">{t('pool.replicas')}</h2>
      <p className="muted" data-testid="pool-workers" data-workers={snapshot.workers}>
        {t('pool.replicasOnline', { count: snapshot.workers })}
      </p>
      {snapshot.replicas.length === 0 ? (
        <p className="warning" role="status">
          {t('pool.noReplicas')}
        </p>
      ) : (
        <DataTable
          testId="replicas-table"
          columns={[
            t('pool.replica'),
            t('pool.model'),
            t('pool.engine'),
            t('pool.state'),
            numeric(t('pool.inFlightCapacity')),
            numeric(t('pool.queued')),
          ]}
        >
          {snapshot.replicas.map((replica) => (
            <tr key={replica.id} data-testid="replica-row" data-up={replica.up}>
              <th scope="row">
                <code>{replica.id}</code>
              </th>
              <td>{replica.model || <span className="muted">{t('bots.defaultPool')}</span>}</td>
              <td>{replica.engine}</td>
              <td>
                <span className={`badge ${replica.up ? 'badge-ok' : 'badge-danger'}`}>{t(replica.up ? 'pool.up' : 'pool.down')}</span>
              </td>
              <td className="numeric">
                {replica.inFlight} / {replica.capacity}
              </td>
              <td className="numeric">{replica.queued}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3>{t('pool.totals')}</h3>
      <dl className="totals">
        {prompts.map(([outcome, value]) => (
          <div key={outcome}>
            <dt>{outcomeLabels[outcome] ? t(outcomeLabels[outcome]) : t('pool.outcome', { outcome })}</dt>
            <dd>{formatNumber(value, locale, 0)}</dd>
          </div>
        ))}
        <div>
          <dt>{t('pool.tokens')}</dt>
          <dd>{formatNumber(snapshot.completionTokens, locale, 0)}</dd>
        </div>
        <div>
          <dt>{t('pool.rejections')}</dt>
          <dd>{formatNumber(snapshot.rejections, locale, 0)}</dd>
        </div>
      </dl>
    </section>
  )
}
