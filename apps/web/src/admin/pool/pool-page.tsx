import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useRef } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { PoolSnapshot } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n } from '../../i18n.js'
import { formatNumber, formatSeconds } from '../ui/format.js'
import { HandoffStatsView } from './handoff-stats.js'
import { LineChart, type ChartSeries } from './line-chart.js'
import { mergeSamples, poolSeries, type Point } from './pool-series.js'
import { ReplicasTable } from './replicas-table.js'

const pollMs = 2000
const windowMs = 5 * 60_000
const palette = ['#8e24aa', '#2e7d32', '#b26a00', '#00838f', '#c62828', '#5d4037', '#3949ab']
const headlineColor = '#1f6feb'
const noSamples: PoolSnapshot[] = []

/** A chart's headline series (all replicas together, or the one figure it shows). */
function headline(key: string, label: string, points: Point[]): ChartSeries {
  return { key, label, color: headlineColor, points }
}

/** Per-replica series of a map, in a stable order and colour. */
function perReplica(byReplica: Map<string, Point[]>, order: string[]): ChartSeries[] {
  return order.flatMap((id, index) => {
    const points = byReplica.get(id)
    return points ? [{ key: id, label: id, color: palette[index % palette.length]!, points }] : []
  })
}

/** The sum of per-replica series at each sample time. */
function total(byReplica: Map<string, Point[]>): Point[] {
  const sums = new Map<number, number>()
  for (const points of byReplica.values()) for (const point of points) sums.set(point.t, (sums.get(point.t) ?? 0) + (point.v ?? 0))
  return [...sums].sort(([a], [b]) => a - b).map(([t, v]) => ({ t, v }))
}

/**
 * The pool now and over the last five minutes: the API's history of it when the page opens, then
 * `GET /api/pool` every 2 s (no reload), charted by hand from the differences between snapshots;
 * the replicas online; and the handoff figures.
 */
export function PoolPage(props: { admin: AdminApi }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  const { admin } = props
  const queries = useQueryClient()
  const historyLoaded = useRef(false)
  // The samples so far are the query's data, each reading adding one; they stay cached while the
  // panel is open, and the first reading after the page opens adds the API's last five minutes.
  const pool = useQuery({
    queryKey: queryKeys.pool,
    queryFn: async () => {
      const earlier = historyLoaded.current ? [] : await admin.poolHistory()
      historyLoaded.current = true
      const snapshot = await admin.pool()
      return mergeSamples([...(queries.getQueryData<PoolSnapshot[]>(queryKeys.pool) ?? []), ...earlier, snapshot], windowMs)
    },
    refetchInterval: pollMs,
  })
  const samples = pool.data ?? noSamples
  const error = pool.error?.message ?? null

  const series = useMemo(() => poolSeries(samples), [samples])
  const now = samples.at(-1)
  const to = now?.at ?? 0
  const from = to - windowMs
  const replicaOrder = useMemo(
    () => [...new Set(samples.flatMap((sample) => sample.replicas.map((replica) => replica.id)))].sort(),
    [samples],
  )
  const count = (value: number) => formatNumber(value, locale, 1)

  const charts: { testId: string; title: string; format: (value: number) => string; series: ChartSeries[] }[] = [
    {
      testId: 'chart-queue-depth',
      title: t('pool.queueDepth'),
      format: count,
      series: [headline('total', t('pool.allReplicas'), series.queueTotal), ...perReplica(series.queuedByReplica, replicaOrder)],
    },
    {
      testId: 'chart-in-flight',
      title: t('pool.inFlight'),
      format: count,
      series: [
        headline('total', t('pool.allReplicas'), total(series.inFlightByReplica)),
        ...perReplica(series.inFlightByReplica, replicaOrder),
      ],
    },
    {
      testId: 'chart-tokens-per-second',
      title: t('pool.tokensPerSecond'),
      format: count,
      series: [headline('tokens', t('pool.tokensPerSecond'), series.tokensPerSecond)],
    },
    {
      testId: 'chart-wait-p95',
      title: t('pool.waitP95'),
      format: formatSeconds,
      series: [headline('wait', t('pool.waitP95'), series.waitP95)],
    },
    {
      testId: 'chart-ttft-p95',
      title: t('pool.ttftP95'),
      format: formatSeconds,
      series: [headline('ttft', t('pool.ttftP95'), series.ttftP95)],
    },
    {
      testId: 'chart-errors',
      title: t('pool.errors'),
      format: count,
      series: [
        { key: 'errors', label: t('pool.errorsLegend'), color: '#c62828', points: series.errors },
        { key: 'rejections', label: t('pool.rejections'), color: '#b26a00', points: series.rejections },
      ],
    },
  ]

  return (
    <>
      <div className="page-title-row">
        <h1>{t('pool.title')}</h1>
        <span
          className={`live ${error ? 'live-closed' : now ? 'live-open' : 'live-connecting'}`}
          data-testid="pool-live"
          data-samples={samples.length}
        >
          <span className="live-dot" aria-hidden="true" />
          {now ? t('pool.updated', { time: new Date(now.at).toLocaleTimeString(locale) }) : t('admin.loading')}
        </span>
      </div>
      <p className="muted page-intro">{t('pool.intro')}</p>
      {error && (
        <p className="form-error" role="alert">
          {t('pool.refreshFailed', { message: error })}
        </p>
      )}
      <section aria-labelledby="pool-charts-title">
        <h2 id="pool-charts-title" className="visually-hidden">
          {t('pool.charts')}
        </h2>
        <div className="chart-grid">
          {charts.map((chart) => (
            <LineChart key={chart.testId} {...chart} from={from} to={to} />
          ))}
        </div>
      </section>
      {now && <ReplicasTable snapshot={now} />}
      <HandoffStatsView admin={admin} />
    </>
  )
}
