import { useId } from 'react'

/** Several of a list (a team's bots, a member's teams) as checkboxes in a labelled group. */
export function CheckboxGroup(props: {
  legend: string
  options: { value: string; label: string }[]
  selected: string[]
  onChange: (selected: string[]) => void
  empty?: string
  testId?: string
}) {
  const id = useId()
  return (
    <fieldset className="checkbox-group" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {props.options.length === 0 && <p className="muted">{props.empty}</p>}
      {props.options.map((option) => (
        <span key={option.value} className="check-line">
          <input
            id={`${id}-${option.value}`}
            type="checkbox"
            checked={props.selected.includes(option.value)}
            onChange={(event) =>
              props.onChange(
                event.target.checked ? [...props.selected, option.value] : props.selected.filter((value) => value !== option.value),
              )
            }
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </span>
      ))}
    </fieldset>
  )
}
