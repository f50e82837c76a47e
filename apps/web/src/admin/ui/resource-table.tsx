import type { UseQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { DataTable, type Column } from './data-table.js'
import { LoadError } from './notice.js'

/**
 * A card listing what a page loaded (a query's answer): its heading (id and text, an optional button beside it, a
 * hint under it), the load error with a retry, `empty` when the list is empty (without it, the
 * empty table stands), and otherwise a DataTable with one `row` an item.
 */
export function ResourceTable<T>(props: {
  resource: Pick<UseQueryResult<T[]>, 'data' | 'error' | 'refetch'>
  title: { id: string; text: string }
  titleAction?: ReactNode
  hint?: string
  empty?: string
  testId: string
  columns: Column[]
  actions?: boolean
  row: (item: T) => ReactNode
}) {
  const { data, error, refetch } = props.resource
  const heading = <h2 id={props.title.id}>{props.title.text}</h2>
  return (
    <section className="card" aria-labelledby={props.title.id}>
      {props.titleAction ? (
        <div className="card-title-row">
          {heading}
          {props.titleAction}
        </div>
      ) : (
        heading
      )}
      {props.hint && <p className="hint">{props.hint}</p>}
      <LoadError error={error} onRetry={() => void refetch()} />
      {data?.length === 0 && props.empty !== undefined && <p className="muted">{props.empty}</p>}
      {data && (data.length > 0 || props.empty === undefined) && (
        <DataTable testId={props.testId} columns={props.columns} actions={props.actions}>
          {data.map((item) => props.row(item))}
        </DataTable>
      )}
    </section>
  )
}
