import type { ConversationDetail } from '@chorus/protocol'
import type { ReactNode } from 'react'
import { actorLabel, channelKindLabel, reasonLabel } from '../conversation-labels.js'
import { useMediaQuery } from '../hooks/use-media-query.js'
import { localeOf, useI18n } from '../i18n.js'
import { formatFullTime, formatTime } from '../time-format.js'
import { StateBadge } from './state-badge.js'

/** Who and where the user is, the handoff summary (saying when no model wrote it), and the state timeline. */
export function ConversationDetails(props: { conversation: ConversationDetail; myId: string | undefined }) {
  const { t, language } = useI18n()
  const { conversation } = props
  return (
    <Collapsible label={t('conversation.details')}>
      {conversation.summary && (
        <section className="summary">
          <h3>{t('conversation.summary')}</h3>
          {conversation.summarySource === 'extractive' && (
            <small className="muted summary-source" data-testid="summary-extractive">
              {t('conversation.summaryExtractive')}
            </small>
          )}
          <p>{conversation.summary}</p>
        </section>
      )}
      <section>
        <h3>{t('conversation.details')}</h3>
        <dl>
          <dt>{t('conversation.user')}</dt>
          <dd>{conversation.user?.displayName || t('conversation.unknownUser')}</dd>
          <dt>{t('conversation.channel')}</dt>
          <dd>
            {channelKindLabel(conversation.channel.kind, t)}
            {conversation.channel.title ? ` · ${conversation.channel.title}` : ''}
          </dd>
          <dt>{t('conversation.bot')}</dt>
          <dd>{conversation.bot.name}</dd>
          <dt>{t('conversation.state')}</dt>
          <dd>
            <StateBadge state={conversation.state} />
          </dd>
          <dt>{t('conversation.assignee')}</dt>
          <dd>{conversation.assignee?.displayName ?? t('inbox.unassigned')}</dd>
          {conversation.handoffReason && (
            <>
              <dt>{t('conversation.handoffReason')}</dt>
              <dd>{reasonLabel(conversation.handoffReason, t)}</dd>
            </>
          )}
          {conversation.rating !== null && (
            <>
              <dt>{t('conversation.rating')}</dt>
              <dd aria-label={`${conversation.rating} / 5`}>
                {'★'.repeat(conversation.rating) + '☆'.repeat(Math.max(0, 5 - conversation.rating))}
              </dd>
            </>
          )}
        </dl>
      </section>
      <section>
        <h3>{t('conversation.timeline')}</h3>
        {conversation.events.length === 0 ? (
          <p className="muted">{t('conversation.noEvents')}</p>
        ) : (
          <ol className="timeline">
            {conversation.events.map((event, index) => {
              const actor = actorLabel(event.actor, props.myId, t)
              return (
                <li key={`${event.at}-${index}`}>
                  <time dateTime={event.at} title={formatFullTime(event.at, localeOf(language))}>
                    {formatTime(event.at, localeOf(language))}
                  </time>{' '}
                  <span>
                    {t('conversation.event', {
                      from: event.fromState ? t(`state.${event.fromState}`) : '–',
                      to: t(`state.${event.toState}`),
                    })}
                  </span>
                  {event.reason && <span className="muted"> · {reasonLabel(event.reason, t)}</span>}
                  {actor && <span className="muted"> · {t('conversation.by', { actor })}</span>}
                </li>
              )
            })}
          </ol>
        )}
      </section>
    </Collapsible>
  )
}

/** Beside the messages on a wide screen; under them, folded away until asked for, on a narrow one. */
function Collapsible(props: { label: string; children: ReactNode }) {
  const narrow = useMediaQuery('(max-width: 1100px)')
  return (
    <aside className="conversation-details" aria-label={props.label}>
      {narrow ? (
        <details>
          <summary>{props.label}</summary>
          {props.children}
        </details>
      ) : (
        props.children
      )}
    </aside>
  )
}
