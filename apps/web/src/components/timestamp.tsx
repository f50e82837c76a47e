import type { ReactNode } from 'react'
import { formatFullTime, formatTime } from '../time-format.js'

/** A time as rows show it (the clock time today, else the date), the full date and time on hover; `empty` when there is none. */
export function Timestamp(props: { iso: string | null; locale: string; empty?: ReactNode }) {
  if (!props.iso) return <>{props.empty ?? null}</>
  return (
    <time dateTime={props.iso} title={formatFullTime(props.iso, props.locale)}>
      {formatTime(props.iso, props.locale)}
    </time>
  )
}
