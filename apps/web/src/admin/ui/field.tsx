import type { ReactNode } from 'react'
import type { FieldIssue } from '../../api/api-error.js'

/** Whether `issue` is about `path` itself or one item of the list at `path` (`blockedWords.3`). */
function concerns(issue: FieldIssue, path: string): boolean {
  return issue.path === path || (issue.path.startsWith(`${path}.`) && /^\d+$/.test(issue.path.slice(path.length + 1)))
}

/** The messages of the issues about `paths` (`reply.maxChars`, or an item of `trigger.prefixes`), for the field that edits it. */
export function issueAt(issues: FieldIssue[], ...paths: string[]): string | undefined {
  const found = issues.filter((issue) => paths.some((path) => concerns(issue, path))).map((issue) => issue.message)
  return found.length > 0 ? found.join('; ') : undefined
}

/**
 * A labelled form control with an optional hint and the API's error for it, tied together with
 * `aria-describedby` / `aria-invalid` by the control's `id`. The child must carry that `id`.
 */
export function Field(props: { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`field${props.error ? ' has-error' : ''}${props.wide ? ' field-wide' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span className="field-error" id={`${props.id}-error`} data-testid={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  )
}

/** The `aria-*` attributes a control inside a Field needs. */
export function describedBy(id: string, hint: boolean, error: string | undefined) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return { 'aria-describedby': ids || undefined, 'aria-invalid': error ? true : undefined }
}

/** A checkbox with its label after it (a switch-like yes/no setting). */
export function CheckField(props: {
  id: string
  label: ReactNode
  checked: boolean
  onChange: (checked: boolean) => void
  hint?: ReactNode
  error?: string
  testId?: string
}) {
  return (
    <div className={`field check-field${props.error ? ' has-error' : ''}`}>
      <span className="check-line">
        <input
          id={props.id}
          type="checkbox"
          data-testid={props.testId}
          checked={props.checked}
          onChange={(event) => props.onChange(event.target.checked)}
          {...describedBy(props.id, !!props.hint, props.error)}
        />
        <label htmlFor={props.id}>{props.label}</label>
      </span>
      {props.hint && (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  )
}
