import type { ReactNode } from 'react'

/** A button in a table row's actions: `label` names the row it acts on (for screen readers), a `danger` one removes it. */
export function RowButton(props: { label: string; onClick: () => void; danger?: boolean; children: ReactNode }) {
  return (
    <button type="button" className={props.danger ? 'danger' : undefined} aria-label={props.label} onClick={props.onClick}>
      {props.children}
    </button>
  )
}
