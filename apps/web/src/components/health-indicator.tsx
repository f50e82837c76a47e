import { useQuery } from '@tanstack/react-query'
import { ApiClient } from '../api/api-client.js'
import { queryKeys } from '../api/query-keys.js'
import { useI18n } from '../i18n.js'

const refreshMs = 15_000

/** The `/healthz` status as a small dot and line: database, Redis and pool workers. */
export function HealthIndicator() {
  const { t } = useI18n()
  const query = useQuery({ queryKey: queryKeys.health, queryFn: () => ApiClient.health(), refetchInterval: refreshMs })
  // An unreachable server is "unknown", not its last answer.
  const health = query.isError ? null : (query.data ?? null)
  const status = health?.status ?? 'unknown'
  const part = (state: string) => (state === 'ok' ? t('health.partOk') : t('health.partDown'))
  const label = health ? t(health.status === 'ok' ? 'health.ok' : 'health.degraded') : t('health.unknown')
  return (
    <div className="health" role="status" aria-label={t('health.label')} data-testid="health" data-status={status}>
      <span className={`health-dot health-${status}`} aria-hidden="true" />
      <span>{label}</span>
      {health && (
        <span className="health-detail">
          {t('health.detail', { db: part(health.db), redis: part(health.redis), workers: health.workers })}
        </span>
      )}
    </div>
  )
}
