import type { ConversationSummary } from '@chorus/protocol'
import { channelLabel, conversationTitle } from '../conversation-labels.js'
import { localeOf, useI18n } from '../i18n.js'
import { formatFullTime, formatTime } from '../time-format.js'
import { StateBadge } from './state-badge.js'

/** What a conversation's row in a list says: title and time, state, channel and bot, the last message. */
export function ConversationRowText(props: { conversation: ConversationSummary }) {
  const { t, language } = useI18n()
  const { conversation } = props
  const at = conversation.lastMessage?.at ?? conversation.lastMessageAt
  return (
    <>
      <span className="row-top">
        <span className="row-title">{conversationTitle(conversation, t)}</span>
        <time className="row-time" dateTime={at ?? undefined} title={formatFullTime(at, localeOf(language))}>
          {formatTime(at, localeOf(language))}
        </time>
      </span>
      <span className="row-meta">
        <StateBadge state={conversation.state} />
        <span className="row-channel">{channelLabel(conversation, t)}</span>
        <span className="row-bot">{conversation.bot.name}</span>
      </span>
      <span className="row-preview">{conversation.lastMessage?.text ?? t('inbox.noMessages')}</span>
    </>
  )
}
