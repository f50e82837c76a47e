import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { KnowledgeHit } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { FormError } from '../../components/form-error.js'
import { useI18n } from '../../i18n.js'
import { headingBelowTitle } from './heading-path.js'

/** Tries the knowledge base as the bot would: the passages a question finds, best first, with their scores. */
export function KnowledgeSearch(props: { admin: AdminApi; botId: string; minScore: number }) {
  const { t } = useI18n()
  const [q, setQ] = useState('')
  const [k, setK] = useState(5)
  const [hits, setHits] = useState<KnowledgeHit[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!q.trim()) return
    setBusy(true)
    setError(null)
    try {
      setHits(await props.admin.searchKnowledge(props.botId, q.trim(), k))
    } catch (failure) {
      setError(t('error.generic', { message: ApiError.from(failure).message }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="knowledge-search-title">
      <h2 id="knowledge-search-title">{t('knowledge.search')}</h2>
      <form className="inline-form" role="search" onSubmit={(event) => void submit(event)}>
        <label htmlFor="knowledge-q" className="visually-hidden">
          {t('knowledge.question')}
        </label>
        <input
          id="knowledge-q"
          data-testid="knowledge-search-input"
          type="search"
          placeholder={t('knowledge.question')}
          value={q}
          onChange={(event) => setQ(event.target.value)}
        />
        <label htmlFor="knowledge-k">{t('knowledge.k')}</label>
        <select id="knowledge-k" value={k} onChange={(event) => setK(Number(event.target.value))}>
          {[3, 5, 10, 20].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" data-testid="knowledge-search-submit" disabled={busy || !q.trim()}>
          {t('knowledge.searchButton')}
        </button>
      </form>
      <p className="hint">{t('knowledge.minScoreNote', { score: props.minScore })}</p>
      <FormError message={error} />
      {hits && hits.length === 0 && <p className="muted">{t('knowledge.noHits')}</p>}
      {hits && hits.length > 0 && (
        <ol className="hits" data-testid="knowledge-hits">
          {hits.map((hit, index) => (
            <li
              key={index}
              className={`hit${hit.score < props.minScore ? ' below' : ''}`}
              data-testid="knowledge-hit"
              data-score={hit.score}
            >
              <div className="hit-head">
                <span className="badge" title={t('knowledge.score')}>
                  <span className="visually-hidden">{t('knowledge.score')} </span>
                  {hit.score.toFixed(3)}
                </span>
                <strong>{hit.document}</strong>
                <HitHeading document={hit.document} heading={hit.heading} />
                <span className="muted"> · {t(hit.kind === 'faq' ? 'knowledge.kind.faq' : 'knowledge.kind.passage')}</span>
                {hit.score < props.minScore && <span className="warning-text"> · {t('knowledge.belowMin')}</span>}
              </div>
              <p className="hit-text">{hit.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

function HitHeading(props: { document: string; heading: string | null }) {
  const heading = props.heading && headingBelowTitle(props.document, props.heading)
  return heading ? <span className="muted"> · {heading}</span> : null
}
