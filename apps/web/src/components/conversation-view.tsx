import type { CannedResponse, MeResponse } from '@chorus/protocol'
import type { ApiClient } from '../api/api-client.js'
import { channelLabel, conversationTitle } from '../conversation-labels.js'
import type { ConversationActions, Notify } from '../hooks/use-conversation-actions.js'
import type { OpenConversation } from '../hooks/use-conversation.js'
import { useI18n } from '../i18n.js'
import { Composer } from './composer.js'
import { allowedActions, ConversationActionBar } from './conversation-actions.js'
import { ConversationDetails } from './conversation-details.js'
import { MessageList } from './message-list.js'
import { MissingConversation } from './missing-conversation.js'
import { StateBadge } from './state-badge.js'

/** One conversation: who and where, its state and actions, the history, the composer and the details. */
export function ConversationView(props: {
  api: ApiClient
  me: MeResponse | null
  open: OpenConversation
  actions: ConversationActions
  canned: CannedResponse[]
  typing: boolean
  notify: Notify
  onBack: () => void
}) {
  const { t } = useI18n()
  const { conversation, loading, error } = props.open
  const back = (
    <button type="button" className="icon-button back-button" aria-label={t('conversation.back')} onClick={props.onBack}>
      ←
    </button>
  )
  if (!conversation) {
    return (
      <section className="conversation conversation-placeholder">
        {back}
        <MissingConversation loading={loading} error={error} />
      </section>
    )
  }
  const myId = props.me?.id
  const allowed = allowedActions(conversation, myId)
  return (
    <section className="conversation" aria-labelledby="conversation-title" data-conversation-id={conversation.id}>
      <header className="conversation-header">
        {back}
        <div className="conversation-heading">
          <h1 id="conversation-title">{conversationTitle(conversation, t)}</h1>
          <p className="muted">
            {channelLabel(conversation, t)} · {conversation.bot.name}
          </p>
        </div>
        <div className="conversation-status">
          <StateBadge state={conversation.state} testId="conversation-state" />
          <span className="assignee" data-testid="conversation-assignee">
            {conversation.assignee?.displayName ?? t('inbox.unassigned')}
          </span>
        </div>
        <ConversationActionBar api={props.api} conversation={conversation} myId={myId} actions={props.actions} />
      </header>
      <div className="conversation-body">
        <div className="conversation-main">
          <MessageList
            key={conversation.id}
            messages={conversation.messages}
            typing={props.typing}
            rating={{ api: props.api, conversationId: conversation.id }}
          />
          <Composer
            key={conversation.id}
            api={props.api}
            conversationId={conversation.id}
            enabled={allowed.reply}
            assignedTo={conversation.state === 'agent' && !allowed.reply ? (conversation.assignee?.displayName ?? null) : null}
            canned={props.canned}
            notify={props.notify}
          />
        </div>
        <ConversationDetails conversation={conversation} myId={myId} />
      </div>
    </section>
  )
}
