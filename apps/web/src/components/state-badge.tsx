import type { ConversationState } from '@chorus/protocol'
import { useI18n } from '../i18n.js'

/** A conversation's state as a coloured badge; `data-state` carries the raw state for tests. */
export function StateBadge(props: { state: ConversationState; testId?: string }) {
  const { t } = useI18n()
  return (
    <span className={`state-badge state-${props.state}`} data-state={props.state} data-testid={props.testId}>
      {t(`state.${props.state}`)}
    </span>
  )
}
