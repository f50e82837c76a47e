import type { MeResponse } from '@chorus/protocol'
import type { ApiClient } from '../../api/api-client.js'
import { ConversationDetails } from '../../components/conversation-details.js'
import { MessageList } from '../../components/message-list.js'
import { MissingConversation } from '../../components/missing-conversation.js'
import { StateBadge } from '../../components/state-badge.js'
import { channelLabel, conversationTitle } from '../../conversation-labels.js'
import { useConversation } from '../../hooks/use-conversation.js'
import { routeHash } from '../../hooks/use-hash-route.js'
import { adminHash } from '../../hooks/use-section.js'
import { useI18n } from '../../i18n.js'

/** One conversation's whole history, read-only (the console's own views), with a link to act on it in the console. */
export function ConversationPreview(props: { api: ApiClient; me: MeResponse; id: string }) {
  const { t } = useI18n()
  const { conversation, loading, error } = useConversation(props.api, props.id)
  if (!conversation) {
    return (
      <section className="card conversation-preview">
        <MissingConversation loading={loading} error={error} />
      </section>
    )
  }
  return (
    <section
      className="card conversation-preview"
      aria-labelledby="preview-title"
      data-testid="conversation-preview"
      data-conversation-id={conversation.id}
    >
      <header className="preview-header">
        <div>
          <h2 id="preview-title">{conversationTitle(conversation, t)}</h2>
          <p className="muted">
            {channelLabel(conversation, t)} · {conversation.bot.name}
          </p>
        </div>
        <StateBadge state={conversation.state} testId="preview-state" />
        <div className="preview-links">
          <a href={routeHash({ tab: 'all', conversationId: conversation.id })} data-testid="open-in-console">
            {t('search.openInConsole')}
          </a>
          <a href={adminHash('conversations')} aria-label={t('search.closePreview')}>
            ×
          </a>
        </div>
      </header>
      <div className="preview-body">
        <MessageList messages={conversation.messages} typing={false} />
        <ConversationDetails conversation={conversation} myId={props.me.id} />
      </div>
    </section>
  )
}
