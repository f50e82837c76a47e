import { useI18n } from '../../i18n.js'
import { latest, type Point } from './pool-series.js'

export interface ChartSeries {
  key: string
  label: string
  color: string
  points: Point[]
}

const width = 300
const height = 100

/** A round number at or above `value` for the top of the scale: 1, 2, 2.5, 5 times a power of ten. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= value) ?? 10
  return step * power
}

/** Samples further apart than this were not taken while the page was open: the line breaks there. */
const gapMs = 10_000

/** The polylines' points of a series, one run per stretch without gaps. */
function runs(points: Point[], from: number, to: number, top: number): string[] {
  const span = Math.max(1, to - from)
  const result: string[] = []
  let current: string[] = []
  let previous: number | null = null
  for (const point of points) {
    const gap = previous !== null && point.t - previous > gapMs
    previous = point.t
    if (point.v === null || point.t < from || gap) {
      if (current.length) result.push(current.join(' '))
      current = []
      if (point.v === null || point.t < from) continue
    }
    const x = ((point.t - from) / span) * width
    const y = height - (Math.min(point.v, top) / top) * height
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`)
  }
  if (current.length) result.push(current.join(' '))
  return result
}

/**
 * A small live line chart, drawn by hand in SVG: the first series is the headline one (its
 * latest value shown big and in `data-latest`, its highest in `data-peak`), the others thinner.
 */
export function LineChart(props: {
  testId: string
  title: string
  format: (value: number) => string
  series: ChartSeries[]
  from: number
  to: number
}) {
  const { t } = useI18n()
  const headline = props.series[0]
  const inWindow = (points: Point[]) =>
    points.filter((point) => point.t >= props.from && point.v !== null).map((point) => point.v as number)
  const everything = props.series.flatMap((series) => inWindow(series.points))
  const top = niceCeiling(Math.max(0, ...everything))
  const headlineValues = headline ? inWindow(headline.points) : []
  const now = headline ? latest(headline.points) : null
  const peak = headlineValues.length ? Math.max(...headlineValues) : null
  const summary = `${props.title}: ${t('pool.latest')} ${now === null ? '–' : props.format(now)}, ${t('pool.peak')} ${peak === null ? '–' : props.format(peak)}`
  return (
    <figure className="chart" data-testid={props.testId} data-latest={now ?? ''} data-peak={peak ?? ''} data-points={headlineValues.length}>
      <figcaption className="chart-head">
        <span className="chart-title">{props.title}</span>
        <span className="chart-value" aria-hidden="true">
          {now === null ? '–' : props.format(now)}
        </span>
      </figcaption>
      <div className="chart-plot">
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          {[0, 0.5, 1].map((fraction) => (
            <line
              key={fraction}
              className="chart-gridline"
              x1={0}
              x2={width}
              y1={height * fraction}
              y2={height * fraction}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {props.series.map((series, index) =>
            runs(series.points, props.from, props.to, top).map((points, run) => (
              <polyline
                key={`${series.key}-${run}`}
                className={index === 0 ? 'chart-line chart-line-headline' : 'chart-line'}
                data-series={series.key}
                points={points}
                stroke={series.color}
                fill="none"
                vectorEffect="non-scaling-stroke"
              />
            )),
          )}
        </svg>
        <span className="chart-axis chart-axis-top">{props.format(top)}</span>
        <span className="chart-axis chart-axis-bottom">0</span>
      </div>
      <div className="chart-foot muted">
        <span>{t('pool.fiveMinutesAgo')}</span>
        <span>{t('pool.now')}</span>
      </div>
      {props.series.length > 1 && (
        <ul className="chart-legend">
          {props.series.map((series) => (
            <li key={series.key}>
              <span className="swatch" style={{ background: series.color }} aria-hidden="true" />
              {series.label}
            </li>
          ))}
        </ul>
      )}
    </figure>
  )
}
