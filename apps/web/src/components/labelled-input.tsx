import type { UseFormRegisterReturn } from 'react-hook-form'

/**
 * A required input of a react-hook-form form with its label above it (and an optional hint under
 * it, tied by `aria-describedby`), for the plain forms outside the admin panel: sign-in, password
 * change. Its `id` is its `data-testid` too.
 */
export function LabelledInput(props: {
  id: string
  label: string
  type: 'email' | 'password'
  autoComplete: string
  field: UseFormRegisterReturn
  invalid?: boolean
  minLength?: number
  hint?: string
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type={props.type}
        autoComplete={props.autoComplete}
        required
        minLength={props.minLength}
        aria-describedby={hintId}
        aria-invalid={props.invalid || undefined}
        {...props.field}
      />
      {props.hint && (
        <span id={hintId} className="hint">
          {props.hint}
        </span>
      )}
    </>
  )
}
