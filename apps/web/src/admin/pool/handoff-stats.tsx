import { useQuery } from '@tanstack/react-query'
import type { AdminApi } from '../../api/admin-client.js'
import type { HandoffFigures } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { localeOf, useI18n } from '../../i18n.js'
import { DataTable, numeric } from '../ui/data-table.js'
import { formatNumber, formatPercent, formatSeconds } from '../ui/format.js'
import { LoadError } from '../ui/notice.js'

const refreshMs = 30_000

/** `GET /api/stats/handoff`: per bot and per agent, how often people take over and how well it goes. */
export function HandoffStatsView(props: { admin: AdminApi }) {
  const { t } = useI18n()
  const { admin } = props
  const stats = useQuery({ queryKey: queryKeys.handoffStats, queryFn: () => admin.handoffStats(), refetchInterval: refreshMs })
  return (
    <section className="card" aria-labelledby="handoff-stats-title" data-testid="handoff-stats">
      <h2 id="handoff-stats-title">{t('stats.title')}</h2>
      <LoadError error={stats.error} onRetry={() => void stats.refetch()} />
      {stats.data && (
        <div className="admin-columns">
          <FiguresTable caption={t('stats.perBot')} nameHeader={t('conversation.bot')} rows={stats.data.bots} testId="handoff-stats-bots" />
          <FiguresTable caption={t('stats.perAgent')} nameHeader={t('role.agent')} rows={stats.data.agents} testId="handoff-stats-agents" />
        </div>
      )}
    </section>
  )
}

function FiguresTable(props: { caption: string; nameHeader: string; rows: HandoffFigures[]; testId: string }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  return (
    <DataTable
      testId={props.testId}
      caption={props.caption}
      columns={[
        props.nameHeader,
        numeric(t('stats.conversations')),
        numeric(t('stats.handoffRate')),
        numeric(t('stats.firstResponse')),
        numeric(t('stats.resolution')),
        numeric(t('stats.rating')),
      ]}
    >
      {props.rows.length === 0 && (
        <tr>
          <td colSpan={6} className="muted">
            {t('stats.none')}
          </td>
        </tr>
      )}
      {props.rows.map((row) => (
        <tr key={row.name}>
          <th scope="row">{row.name}</th>
          <td className="numeric">{row.conversations}</td>
          <td className="numeric" title={t('stats.handoffs', { count: row.handoffs })}>
            {formatPercent(row.handoffRate, locale)}
          </td>
          <td className="numeric">{formatSeconds(row.firstResponseSeconds)}</td>
          <td className="numeric">{formatSeconds(row.resolutionSeconds)}</td>
          <td className="numeric">
            {row.rating === null ? '–' : `${formatNumber(row.rating, locale, 1)} / 5`}
            {row.ratings > 0 && <span className="muted small"> ({row.ratings})</span>}
          </td>
        </tr>
      ))}
    </DataTable>
  )
}
