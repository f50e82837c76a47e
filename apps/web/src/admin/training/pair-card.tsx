import type { TrainingPair } from '@chorus/protocol'
import { useState } from 'react'
import { useI18n } from '../../i18n.js'
import type { PairReview } from './training-api.js'

/** One candidate: its question and answer (editable before accepting), where it came from, and the review buttons. */
export function PairCard(props: {
  pair: TrainingPair
  botName: string | undefined
  busy: boolean
  onReview: (review: PairReview) => void
}) {
  const { t } = useI18n()
  const { pair } = props
  const [editing, setEditing] = useState(false)
  const [question, setQuestion] = useState(pair.question)
  const [answer, setAnswer] = useState(pair.answer)
  const [addToKnowledge, setAddToKnowledge] = useState(false)
  const edited = {
    question: question.trim() !== pair.question ? question.trim() : undefined,
    answer: answer.trim() !== pair.answer ? answer.trim() : undefined,
  }
  const ids = { question: `pair-${pair.id}-question`, answer: `pair-${pair.id}-answer`, faq: `pair-${pair.id}-faq` }

  return (
    <li className="pair-card" data-testid="pair-card" data-pair-id={pair.id}>
      <div className="pair-meta">
        <span className="badge">{t(`pairs.source.${pair.source}`)}</span>
        {props.botName && <span className="muted">{props.botName}</span>}
      </div>
      {editing ? (
        <div className="pair-edit">
          <label htmlFor={ids.question}>{t('pairs.question')}</label>
          <textarea
            id={ids.question}
            data-testid="pair-question-input"
            rows={2}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
          />
          <label htmlFor={ids.answer}>{t('pairs.answer')}</label>
          <textarea id={ids.answer} data-testid="pair-answer-input" rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} />
        </div>
      ) : (
        <dl className="pair-text">
          <dt>{t('pairs.question')}</dt>
          <dd data-testid="pair-question">{pair.question}</dd>
          <dt>{t('pairs.answer')}</dt>
          <dd data-testid="pair-answer">{pair.answer}</dd>
        </dl>
      )}
      <div className="pair-actions">
        <span className="check-line">
          <input
            id={ids.faq}
            type="checkbox"
            data-testid="pair-add-faq"
            checked={addToKnowledge}
            onChange={(event) => setAddToKnowledge(event.target.checked)}
          />
          <label htmlFor={ids.faq}>{t('pairs.addToKnowledge')}</label>
        </span>
        {editing ? (
          <>
            <button
              type="button"
              className="primary"
              data-testid="pair-save-accept"
              disabled={props.busy || !question.trim() || !answer.trim()}
              onClick={() => props.onReview({ status: 'accepted', ...edited, addToKnowledge })}
            >
              {t('pairs.saveAccept')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('pairs.cancel')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              data-testid="pair-accept"
              disabled={props.busy}
              onClick={() => props.onReview({ status: 'accepted', addToKnowledge })}
            >
              {t('pairs.accept')}
            </button>
            <button type="button" data-testid="pair-edit" disabled={props.busy} onClick={() => setEditing(true)}>
              {t('pairs.edit')}
            </button>
            <button
              type="button"
              className="danger"
              data-testid="pair-reject"
              disabled={props.busy}
              onClick={() => props.onReview({ status: 'rejected' })}
            >
              {t('pairs.reject')}
            </button>
          </>
        )}
      </div>
    </li>
  )
}
