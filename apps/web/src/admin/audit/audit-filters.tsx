import type { AuditQuery, StaffAccount } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'
import { Filter, FilterForm, FilterInput, FilterSelect, useFilterDraft } from '../ui/filters.js'
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
  const { draft, change, bind, apply, reset } = useFilterDraft(none, none, props.onApply)
  return (
    <FilterForm label={t('audit.filters')} testId="audit-filters" submitTestId="audit-submit" onApply={apply} onReset={reset}>
      <FilterSelect
        id="audit-actor"
        testId="audit-actor"
        label={t('audit.actor')}
        options={[
          { value: '', label: t('audit.anyone') },
          ...props.staff.map((member) => ({ value: member.id, label: member.displayName })),
        ]}
        {...bind('actor')}
      />
      <Filter id="audit-action" label={t('audit.actionPrefix')}>
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
      </Filter>
      <FilterSelect
        id="audit-target-type"
        testId="audit-target-type"
        label={t('audit.targetType')}
        options={[{ value: '', label: t('audit.anyTarget') }, ...targetTypes.map((type) => ({ value: type, label: type }))]}
        {...bind('targetType')}
      />
      <FilterInput id="audit-from" type="date" label={t('search.from')} {...bind('from')} />
      <FilterInput id="audit-to" type="date" label={t('search.to')} {...bind('to')} />
    </FilterForm>
  )
}
