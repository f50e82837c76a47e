import { useState, type FormEvent } from 'react'
import type { AuditQuery, StaffAccount } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'
import { localDayStart } from '../ui/format.js'

export interface AuditDraft {
  actor: string
  action: string
  targetType: string
  from: string
  to: string
}

const none: AuditDraft = { actor: '', action: '', targetType: '', from: '', to: '' }

/** Starts of actions worth offering (any prefix works). */
const actionPrefixes = [
  'api_key.',
  'auth.',
  'bot.',
  'canned_response.',
  'conversation.',
  'knowledge.',
  'model_endpoint.',
  'staff.',
  'team.',
]
const targetTypes = ['api_key', 'bot', 'canned_response', 'conversation', 'knowledge_document', 'model_endpoint', 'staff', 'team']

export function toAuditQuery(draft: AuditDraft): AuditQuery {
  return {
    actor: draft.actor || undefined,
    action: draft.action.trim() || undefined,
    targetType: draft.targetType.trim() || undefined,
    from: localDayStart(draft.from),
    to: localDayStart(draft.to, 1),
  }
}

/** Actor, action prefix, target type and a date range. */
export function AuditFilters(props: { staff: StaffAccount[]; onApply: (draft: AuditDraft) => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState(none)
  const change = (fields: Partial<AuditDraft>) => setDraft((current) => ({ ...current, ...fields }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    props.onApply(draft)
  }
  return (
    <form className="filters" role="search" aria-label={t('audit.filters')} onSubmit={submit} data-testid="audit-filters">
      <div className="filter">
        <label htmlFor="audit-actor">{t('audit.actor')}</label>
        <select id="audit-actor" data-testid="audit-actor" value={draft.actor} onChange={(event) => change({ actor: event.target.value })}>
          <option value="">{t('audit.anyone')}</option>
          {props.staff.map((member) => (
            <option key={member.id} value={member.id}>
              {member.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="audit-action">{t('audit.actionPrefix')}</label>
        <input
          id="audit-action"
          data-testid="audit-action"
          list="audit-actions"
          placeholder="api_key."
          value={draft.action}
          onChange={(event) => change({ action: event.target.value })}
        />
        <datalist id="audit-actions">
          {actionPrefixes.map((prefix) => (
            <option key={prefix} value={prefix} />
          ))}
        </datalist>
      </div>
      <div className="filter">
        <label htmlFor="audit-target-type">{t('audit.targetType')}</label>
        <select
          id="audit-target-type"
          data-testid="audit-target-type"
          value={draft.targetType}
          onChange={(event) => change({ targetType: event.target.value })}
        >
          <option value="">{t('audit.anyTarget')}</option>
          {targetTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="audit-from">{t('search.from')}</label>
        <input id="audit-from" type="date" value={draft.from} onChange={(event) => change({ from: event.target.value })} />
      </div>
      <div className="filter">
        <label htmlFor="audit-to">{t('search.to')}</label>
        <input id="audit-to" type="date" value={draft.to} onChange={(event) => change({ to: event.target.value })} />
      </div>
      <div className="filter-actions">
        <button
          type="button"
          onClick={() => {
            setDraft(none)
            props.onApply(none)
          }}
        >
          {t('search.reset')}
        </button>
        <button type="submit" className="primary" data-testid="audit-submit">
          {t('search.submit')}
        </button>
      </div>
    </form>
  )
}
