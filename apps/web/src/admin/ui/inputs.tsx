import type { ReactNode } from 'react'
import { describedBy, Field } from './field.js'

interface Common {
  id: string
  label: ReactNode
  hint?: ReactNode
  error?: string
  testId?: string
  wide?: boolean
}

/** A number; an emptied box is NaN, which the API then names as the field to fix. */
export function NumberField(
  props: Common & { value: number; onChange: (value: number) => void; min?: number; max?: number; step?: number },
) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} wide={props.wide}>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        data-testid={props.testId}
        min={props.min}
        max={props.max}
        step={props.step}
        value={Number.isNaN(props.value) ? '' : props.value}
        onChange={(event) => props.onChange(event.target.value === '' ? Number.NaN : Number(event.target.value))}
        {...describedBy(props.id, !!props.hint, props.error)}
      />
    </Field>
  )
}

export function TextField(
  props: Common & {
    value: string
    onChange: (value: string) => void
    type?: string
    required?: boolean
    placeholder?: string
    autoComplete?: string
    list?: string
  },
) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} wide={props.wide}>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        data-testid={props.testId}
        required={props.required}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete}
        list={props.list}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        {...describedBy(props.id, !!props.hint, props.error)}
      />
    </Field>
  )
}

export function SelectField<V extends string>(
  props: Common & { value: V; onChange: (value: V) => void; options: readonly { value: V; label: string }[] },
) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error} wide={props.wide}>
      <select
        id={props.id}
        data-testid={props.testId}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as V)}
        {...describedBy(props.id, !!props.hint, props.error)}
      >
        <Options options={props.options} />
      </select>
    </Field>
  )
}

/** A select's options, from value and label pairs. */
export function Options<V extends string>(props: { options: readonly { value: V; label: string }[] }) {
  return (
    <>
      {props.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </>
  )
}
