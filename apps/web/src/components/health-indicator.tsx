import { useEffect, useState } from 'react'
import { ApiClient } from '../api/api-client.js'
import type { Health } from '../api/types.js'
import { useI18n } from '../i18n.js'

/** The `/healthz` status as a small dot and line: database, Redis and pool workers. */
export function HealthIndicator() {
  const { t } = useI18n()
  const [health, setHealth] = useState<Health | null>(null)
  useEffect(() => {
    let active = true
    const load = () =>
      ApiClient.health().then(
        (next) => active && setHealth(next),
        () => active && setHealth(null),
      )
    void load()
    const timer = setInterval(load, 15_000)
    return () => {
      active = false
      clearInterval(timer)
    }
  }, [])
  const status = health?.status ?? 'unknown'
  const label = health ? t(health.status === 'ok' ? 'health.ok' : 'health.degraded') : t('health.unknown')
  return (
    <div className="health" role="status" aria-label={t('health.label')} data-testid="health" data-status={status}>
      <span className={`health-dot health-${status}`} aria-hidden="true" />
      <span>{label}</span>
      {health && (
        <span className="health-detail">{t('health.detail', { db: health.db, redis: health.redis, workers: health.workers })}</span>
      )}
    </div>
  )
}
