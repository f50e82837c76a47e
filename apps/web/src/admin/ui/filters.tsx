import { useState, type ReactNode } from 'react'
import { useI18n } from '../../i18n.js'
import { Options } from './inputs.js'

/**
 * A filter form's fields as typed: changed one by one (`bind(key)` gives a control its value and
 * onChange), applied when submitted, emptied (and applied) by Reset.
 */
export function useFilterDraft<D extends object>(initial: D, empty: D, onApply: (draft: D) => void) {
  const [draft, setDraft] = useState(initial)
  const change = (fields: Partial<D>) => setDraft((current) => ({ ...current, ...fields }))
  return {
    draft,
    change,
    bind: <K extends keyof D>(key: K) => ({
      value: draft[key],
      onChange: (value: D[K]) => {
        const fields: Partial<D> = {}
        fields[key] = value
        change(fields)
      },
    }),
    apply: () => onApply(draft),
    reset: () => {
      setDraft(empty)
      onApply(empty)
    },
  }
}

/** A search form of filters (the children) with Reset and Submit after them. */
export function FilterForm(props: {
  label: string
  testId: string
  submitTestId: string
  onApply: () => void
  onReset: () => void
  children: ReactNode
}) {
  const { t } = useI18n()
  return (
    <form
      className="filters"
      role="search"
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault()
        props.onApply()
      }}
      data-testid={props.testId}
    >
      {props.children}
      <div className="filter-actions">
        <button type="button" onClick={props.onReset}>
          {t('search.reset')}
        </button>
        <button type="submit" className="primary" data-testid={props.submitTestId}>
          {t('search.submit')}
        </button>
      </div>
    </form>
  )
}

/** One filter: a label over its control (the child, carrying `id`). */
export function Filter(props: { id: string; label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={props.wide ? 'filter filter-wide' : 'filter'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  )
}

/** A filter typed in: text, a search, a date. */
export function FilterInput(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  type?: 'search' | 'date'
  placeholder?: string
  testId?: string
  wide?: boolean
}) {
  return (
    <Filter id={props.id} label={props.label} wide={props.wide}>
      <input
        id={props.id}
        data-testid={props.testId}
        type={props.type}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </Filter>
  )
}

/** A filter chosen from a list (its first option usually "any"). */
export function FilterSelect<V extends string>(props: {
  id: string
  label: string
  value: V
  onChange: (value: V) => void
  options: readonly { value: V; label: string }[]
  testId?: string
}) {
  return (
    <Filter id={props.id} label={props.label}>
      <select id={props.id} data-testid={props.testId} value={props.value} onChange={(event) => props.onChange(event.target.value as V)}>
        <Options options={props.options} />
      </select>
    </Filter>
  )
}
