import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { FaqQuestion, UnansweredGroup } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { localeOf, useI18n } from '../../i18n.js'
import { formatFullTime, formatTime } from '../../time-format.js'
import { NoticeBar, useNotices, type Notices } from '../ui/notice.js'
import { RowButton } from '../ui/row-button.js'

/**
 * What the bot could not answer, grouped by wording and counted, most frequent first: each group
 * can become a similar question (相似问法) of an FAQ entry, or a new entry, in one step; the
 * similar questions added so far are listed with a way to take one back.
 */
export function UnansweredPanel(props: { admin: AdminApi; botId: string; onLearned: () => void }) {
  const { t } = useI18n()
  const { admin, botId } = props
  const queries = useQueryClient()
  const groups = useQuery({ queryKey: queryKeys.unansweredQuestions(botId), queryFn: () => admin.unansweredQuestions(botId) })
  const faqs = useQuery({ queryKey: queryKeys.faqQuestions(botId), queryFn: () => admin.faqQuestions(botId) })
  const similar = useQuery({ queryKey: queryKeys.similarQuestions(botId), queryFn: () => admin.similarQuestions(botId) })
  const notices = useNotices()

  // `onLearned` reloads the whole knowledge tab, these lists included.
  const learned = (message: string) => {
    notices.info(message)
    props.onLearned()
  }

  const removeSimilar = async (id: string) => {
    try {
      await admin.deleteSimilarQuestion(botId, id)
      void queries.invalidateQueries({ queryKey: queryKeys.similarQuestions(botId) })
    } catch (failure) {
      notices.fail(failure)
    }
  }

  return (
    <section className="card" aria-labelledby="unanswered-title" data-testid="unanswered-panel">
      <h2 id="unanswered-title">{t('learn.title')}</h2>
      <p className="hint">{t('learn.intro')}</p>
      <NoticeBar notices={notices} />
      {groups.error && <FormError message={t('error.generic', { message: groups.error.message })} />}
      {groups.data && groups.data.length === 0 && <p className="muted">{t('learn.none')}</p>}
      {groups.data && groups.data.length > 0 && (
        <ol className="unanswered" data-testid="unanswered-groups">
          {groups.data.map((group) => (
            <UnansweredItem
              key={group.question}
              admin={admin}
              botId={botId}
              group={group}
              faqs={faqs.data ?? []}
              onLearned={learned}
              notices={notices}
            />
          ))}
        </ol>
      )}
      {similar.data && similar.data.length > 0 && (
        <>
          <h3>{t('learn.similarTitle')}</h3>
          <ul className="similar-questions" data-testid="similar-questions">
            {similar.data.map((item) => (
              <li key={item.id}>
                <span>{item.similar}</span>
                <span className="muted"> → {item.faqQuestion} </span>
                <RowButton danger label={t('learn.removeSimilar', { similar: item.similar })} onClick={() => void removeSimilar(item.id)}>
                  {t('admin.delete')}
                </RowButton>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function UnansweredItem(props: {
  admin: AdminApi
  botId: string
  group: UnansweredGroup
  faqs: FaqQuestion[]
  onLearned: (message: string) => void
  notices: Notices
}) {
  const { t, language } = useI18n()
  const { group } = props
  const [target, setTarget] = useState('')
  const [writing, setWriting] = useState(false)
  const [busy, setBusy] = useState(false)

  const attach = async () => {
    if (!target) return
    setBusy(true)
    try {
      await props.admin.addSimilarQuestion(props.botId, target, group.question)
      props.onLearned(t('learn.attached', { similar: group.question, question: target }))
    } catch (failure) {
      props.notices.fail(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <li className="unanswered-group" data-testid="unanswered-group" data-count={group.count}>
      <div className="hit-head">
        <span className="badge" title={t('learn.count')}>
          <span className="visually-hidden">{t('learn.count')} </span>×{group.count}
        </span>
        <strong data-testid="unanswered-question">{group.question}</strong>
        <span className="muted"> · {t(group.outcome === 'asked_back' ? 'learn.askedBack' : 'learn.nothingFound')}</span>
        <span className="muted">
          {' · '}
          <time dateTime={group.lastAt} title={formatFullTime(group.lastAt, localeOf(language))}>
            {formatTime(group.lastAt, localeOf(language))}
          </time>
        </span>
      </div>
      {group.examples.length > 1 && <p className="muted">{group.examples.filter((e) => e !== group.question).join(' / ')}</p>}
      <div className="inline-form">
        <label htmlFor={`learn-target-${group.question}`} className="visually-hidden">
          {t('learn.attachTo')}
        </label>
        <select
          id={`learn-target-${group.question}`}
          data-testid="unanswered-target"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
        >
          <option value="">{t('learn.attachTo')}</option>
          {props.faqs.map((faq) => (
            <option key={`${faq.document}/${faq.question}`} value={faq.question}>
              {faq.question}
            </option>
          ))}
        </select>
        <button type="button" data-testid="unanswered-attach" disabled={busy || !target} onClick={() => void attach()}>
          {t('learn.attach')}
        </button>
        <button type="button" data-testid="unanswered-new-entry" onClick={() => setWriting((open) => !open)} aria-expanded={writing}>
          {t('learn.newEntry')}
        </button>
      </div>
      {writing && (
        <NewEntryForm
          admin={props.admin}
          botId={props.botId}
          question={group.question}
          onAdded={(question) => {
            setWriting(false)
            props.onLearned(t('learn.entryAdded', { question }))
          }}
        />
      )}
    </li>
  )
}

function NewEntryForm(props: { admin: AdminApi; botId: string; question: string; onAdded: (question: string) => void }) {
  const { t } = useI18n()
  const [question, setQuestion] = useState(props.question)
  const [answer, setAnswer] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!question.trim() || !answer.trim()) return
    setBusy(true)
    setError(null)
    try {
      await props.admin.addFaqEntry(props.botId, question.trim(), answer.trim())
      props.onAdded(question.trim())
    } catch (failure) {
      setError(t('error.generic', { message: ApiError.from(failure).message }))
    } finally {
      setBusy(false)
    }
  }

  const id = `learn-entry-${props.question}`
  return (
    <form className="stacked-form" onSubmit={(event) => void submit(event)} data-testid="unanswered-entry-form">
      <label htmlFor={`${id}-q`}>{t('learn.entryQuestion')}</label>
      <input id={`${id}-q`} value={question} onChange={(event) => setQuestion(event.target.value)} />
      <label htmlFor={`${id}-a`}>{t('learn.entryAnswer')}</label>
      <textarea
        id={`${id}-a`}
        data-testid="unanswered-entry-answer"
        rows={3}
        value={answer}
        onChange={(event) => setAnswer(event.target.value)}
      />
      <FormError message={error} />
      <button type="submit" className="primary" data-testid="unanswered-entry-save" disabled={busy || !question.trim() || !answer.trim()}>
        {t('learn.saveEntry')}
      </button>
    </form>
  )
}
