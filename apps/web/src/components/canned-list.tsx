import type { CannedResponse } from '@chorus/protocol'
import type { CannedMatches } from '../hooks/use-canned-matches.js'
import { useI18n } from '../i18n.js'

/** Every canned response, from the composer's "Canned responses" button. */
export function CannedPicker(props: { canned: CannedResponse[]; onPick: (canned: CannedResponse) => void }) {
  const { t } = useI18n()
  return (
    <ul className="canned-picker" aria-label={t('composer.canned')}>
      {props.canned.length === 0 && <li className="muted">{t('composer.cannedNone')}</li>}
      {props.canned.map((canned) => (
        <li key={canned.id}>
          <button type="button" onClick={() => props.onPick(canned)}>
            <strong>/{canned.shortcut}</strong> <span>{canned.text}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}

/** The canned responses matching the "/shortcut" being typed, under the composer's box (a listbox it controls). */
export function CannedMatchList(props: { id: string; completion: CannedMatches; onPick: (canned: CannedResponse) => void }) {
  const { t } = useI18n()
  return (
    <ul id={props.id} className="canned-matches" role="listbox" aria-label={t('composer.cannedMatches')}>
      {props.completion.matches.map((canned, index) => (
        <li
          key={canned.id}
          id={`${props.id}-${index}`}
          role="option"
          aria-selected={index === props.completion.highlighted}
          onMouseDown={(event) => {
            event.preventDefault()
            props.onPick(canned)
          }}
        >
          <strong>/{canned.shortcut}</strong> <span>{canned.text}</span>
        </li>
      ))}
    </ul>
  )
}
