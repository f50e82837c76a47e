import { useState, type ReactNode } from 'react'
import { describedBy, Field } from './field.js'

/** Lines (or comma-separated items) as a list: trimmed, empty ones dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,，]/)
    .map((item) => item.trim())
    .filter(Boolean)
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((item, index) => item === b[index])

/**
 * A list of words edited as text, one per line (or separated by commas). Keeps what is being
 * typed (a trailing newline, say) and follows a new value from outside.
 */
export function ListInput(props: {
  id: string
  value: string[]
  onChange: (value: string[]) => void
  rows?: number
  placeholder?: string
  testId?: string
  describedBy?: Record<string, unknown>
}) {
  const [text, setText] = useState(props.value.join('\n'))
  // A new value from outside replaces the text, unless the text already says it (while typing).
  const [followed, setFollowed] = useState(props.value)
  if (followed !== props.value) {
    setFollowed(props.value)
    if (!sameList(parseList(text), props.value)) setText(props.value.join('\n'))
  }
  return (
    <textarea
      id={props.id}
      data-testid={props.testId}
      rows={props.rows ?? 3}
      placeholder={props.placeholder}
      value={text}
      onChange={(event) => {
        setText(event.target.value)
        props.onChange(parseList(event.target.value))
      }}
      {...props.describedBy}
    />
  )
}

/** A labelled ListInput with the API's error for it. */
export function ListField(props: {
  id: string
  label: ReactNode
  hint?: ReactNode
  error?: string
  value: string[]
  onChange: (value: string[]) => void
  rows?: number
  placeholder?: string
  testId?: string
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <ListInput
        id={props.id}
        value={props.value}
        onChange={props.onChange}
        rows={props.rows}
        placeholder={props.placeholder}
        testId={props.testId}
        describedBy={describedBy(props.id, !!props.hint, props.error)}
      />
    </Field>
  )
}
