/**
 * A required input with its label above it (and an optional hint under it, tied by
 * `aria-describedby`), for the plain forms outside the admin panel: sign-in, password change.
 * Its `id` is its `data-testid` too.
 */
export function LabelledInput(props: {
  id: string
  label: string
  type: 'email' | 'password'
  autoComplete: string
  value: string
  onChange: (value: string) => void
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
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.hint && (
        <span id={hintId} className="hint">
          {props.hint}
        </span>
      )}
    </>
  )
}
