import type { ConversationMessage } from '@chorus/protocol'
import { useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { messageStatusLabel } from '../conversation-labels.js'
import { localeOf, useI18n, type MessageKey } from '../i18n.js'
import { formatFullTime, formatTime } from '../time-format.js'
import { AnswerRating } from './answer-rating.js'
import { LockIcon } from './lock-icon.js'
import { ToolCalls } from './tool-calls.js'

/**
 * The conversation's history, oldest first, each role styled on its own (notes marked
 * private). Keeps the newest in view and tells screen readers about messages that arrive.
 */
export function MessageList(props: {
  messages: ConversationMessage[]
  typing: boolean
  /** Where the bot's answers can be rated good or bad (the console); read-only without it. */
  rating?: { api: ApiClient; conversationId: string }
}) {
  const { t } = useI18n()
  const list = useRef<HTMLDivElement>(null)
  const seen = useRef<Set<string> | null>(null)
  const [announcement, setAnnouncement] = useState('')

  useEffect(() => {
    const ids = new Set(props.messages.map((message) => String(message.id)))
    const previous = seen.current
    seen.current = ids
    // The first load is not news; later arrivals from someone else are.
    const arrived = previous ? props.messages.filter((message) => !previous.has(String(message.id))) : []
    if ((!previous || arrived.length > 0) && list.current) list.current.scrollTop = list.current.scrollHeight
    const newest = arrived.filter((message) => message.role === 'user' || message.role === 'assistant').at(-1)
    if (newest) setAnnouncement(t('conversation.newMessage', { author: newest.author || t(`role.${newest.role}`) }))
  }, [props.messages, t])

  return (
    <div className="message-list" ref={list}>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="message-announcer">
        {announcement}
      </div>
      {props.messages.length === 0 ? (
        <p className="muted">{t('conversation.noMessages')}</p>
      ) : (
        <ol aria-label={t('conversation.messages')}>
          {props.messages.map((message) => (
            <MessageItem key={String(message.id)} message={message} rating={props.rating} />
          ))}
        </ol>
      )}
      {props.typing && <p className="typing muted">{t('conversation.typing')}</p>}
    </div>
  )
}

function MessageItem({ message, rating }: { message: ConversationMessage; rating?: { api: ApiClient; conversationId: string } }) {
  const { t, language } = useI18n()
  const author = message.author ?? ''
  return (
    <li className={`message message-${message.role}`} data-testid="message" data-role={message.role} data-message-id={String(message.id)}>
      <div className="message-head">
        <span className="message-author">{author || t(`role.${message.role}`)}</span>
        {message.role === 'note' ? (
          <span className="note-badge">
            <LockIcon /> {t('role.note')}
          </span>
        ) : (
          author && <span className="message-role">{t(`role.${message.role}`)}</span>
        )}
        <time dateTime={message.at} title={formatFullTime(message.at, localeOf(language))}>
          {formatTime(message.at, localeOf(language))}
        </time>
      </div>
      <p className="message-text">{message.text}</p>
      {message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0 && <ToolCalls calls={message.toolCalls} />}
      {message.status === 'undeliverable' ? (
        <span className="message-status undeliverable" data-testid="undeliverable">
          {t('conversation.undeliverable', { reason: t(undeliverableReasonKey(message.undeliverable)) })}
        </span>
      ) : (
        message.status &&
        (message.role === 'agent' || message.role === 'assistant') && (
          <span className="message-status">{t('conversation.status', { status: messageStatusLabel(message.status, t) })}</span>
        )
      )}
      {rating && message.role === 'assistant' && (
        <AnswerRating api={rating.api} conversationId={rating.conversationId} messageId={String(message.id)} />
      )}
    </li>
  )
}

const undeliverableReasons: Record<string, MessageKey> = {
  reply_window_closed: 'undeliverable.reply_window_closed',
  reply_limit_reached: 'undeliverable.reply_limit_reached',
  too_long: 'undeliverable.too_long',
  not_a_follower: 'undeliverable.not_a_follower',
  invalid_openid: 'undeliverable.not_a_follower',
  retries_exhausted: 'undeliverable.retries_exhausted',
}

/** The words for a refused message's reason code; unknown codes read as a plain refusal. */
function undeliverableReasonKey(reason: string | null | undefined): MessageKey {
  return undeliverableReasons[reason ?? ''] ?? 'undeliverable.refused'
}
