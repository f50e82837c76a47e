import type { ReactNode } from 'react'
import { useI18n } from '../../i18n.js'

/** A column's header: its text, or `{ label, numeric: true }` for a right-aligned column of numbers. */
export type Column = string | { label: string; numeric: true }

/** The header of a right-aligned column of numbers. */
export function numeric(label: string): Column {
  return { label, numeric: true }
}

/**
 * A scrollable `data-table` with one header row; `actions` adds a last, visually hidden header
 * over the rows' buttons. The rows (`<tr>`) are the children.
 */
export function DataTable(props: {
  testId: string
  columns: Column[]
  actions?: boolean
  caption?: string
  className?: string
  children: ReactNode
}) {
  const { t } = useI18n()
  return (
    <div className="table-scroll">
      <table className={props.className ? `data-table ${props.className}` : 'data-table'} data-testid={props.testId}>
        {props.caption !== undefined && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((column, index) =>
              typeof column === 'string' ? (
                <th key={index} scope="col">
                  {column}
                </th>
              ) : (
                <th key={index} scope="col" className="numeric">
                  {column.label}
                </th>
              ),
            )}
            {props.actions && (
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  )
}
