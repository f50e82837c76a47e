import { useState } from 'react'
import { useI18n } from '../../i18n.js'
import { describedBy, Field, issueAt } from '../ui/field.js'
import { NumberField, SelectField } from '../ui/inputs.js'
import { settingSetter, type DraftProps } from './bot-draft.js'

/** Lines such as "电瓶车 = 电动自行车" as synonym groups (two words or more each). */
export function synonymGroups(text: string): string[][] {
  const lines = text.split('\n')
  return lines
    .map((line) =>
      line
        .split(/\s*[=＝]\s*/)
        .map((word) => word.trim())
        .filter(Boolean),
    )
    .filter((group) => group.length >= 2)
}

/** The bot's own synonym groups as text, one per line; the text is kept as typed (a group is only used once it has two words). */
function SynonymsField(props: { value: string[][]; onChange: (groups: string[][]) => void; error?: string }) {
  const { t } = useI18n()
  const id = 'bot-knowledge-synonyms'
  const [text, setText] = useState(() => props.value.map((group) => group.join(' = ')).join('\n'))
  return (
    <Field id={id} label={t('bot.knowledge.synonyms')} hint={t('bot.knowledge.synonymsHint')} error={props.error}>
      <textarea
        id={id}
        data-testid={id}
        rows={3}
        placeholder="电瓶车 = 电动自行车"
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          props.onChange(synonymGroups(event.target.value))
        }}
        {...describedBy(id, true, props.error)}
      />
    </Field>
  )
}

/** Knowledge answers, how long messages are kept, sending limits and invitations. */
export function LimitsFields(props: DraftProps) {
  const { t } = useI18n()
  const { issues } = props
  const { knowledge, outgoing, invitations } = props.draft.settings
  const set = settingSetter(props.setDraft)
  const acceptOptions = [
    { value: 'accept', label: t('bot.invitations.accept') },
    { value: 'ignore', label: t('bot.invitations.ignore') },
  ] as const
  return (
    <>
      <fieldset className="form-section">
        <legend>{t('bot.section.knowledge')}</legend>
        <div className="field-grid">
          <NumberField
            id="bot-knowledge-min-score"
            testId="bot-knowledge-min-score"
            label={t('bot.knowledge.minScore')}
            hint={t('bot.knowledge.minScoreHint')}
            min={0}
            max={1}
            step={0.05}
            value={knowledge.minScore}
            onChange={(minScore) => set('knowledge', { ...knowledge, minScore })}
            error={issueAt(issues, 'knowledge.minScore')}
          />
          <NumberField
            id="bot-knowledge-top-k"
            label={t('bot.knowledge.topK')}
            hint={t('bot.knowledge.topKHint')}
            min={1}
            max={10}
            value={knowledge.topK}
            onChange={(topK) => set('knowledge', { ...knowledge, topK })}
            error={issueAt(issues, 'knowledge.topK')}
          />
        </div>
        <SynonymsField
          value={knowledge.synonyms ?? []}
          onChange={(synonyms) => set('knowledge', { ...knowledge, synonyms })}
          error={issueAt(issues, 'knowledge.synonyms')}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.data')}</legend>
        <NumberField
          id="bot-retention-days"
          testId="bot-retention-days"
          label={t('bot.retentionDays')}
          hint={t('bot.retentionDaysHint')}
          min={0}
          max={3650}
          value={props.draft.settings.retentionDays}
          onChange={(retentionDays) => set('retentionDays', retentionDays)}
          error={issueAt(issues, 'retentionDays')}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.outgoing')}</legend>
        <div className="field-grid">
          <NumberField
            id="bot-outgoing-group"
            label={t('bot.outgoing.perGroup')}
            min={1}
            max={6000}
            value={outgoing.perGroupPerMinute}
            onChange={(perGroupPerMinute) => set('outgoing', { ...outgoing, perGroupPerMinute })}
            error={issueAt(issues, 'outgoing.perGroupPerMinute')}
          />
          <NumberField
            id="bot-outgoing-account"
            label={t('bot.outgoing.perAccount')}
            min={1}
            max={6000}
            value={outgoing.perAccountPerMinute}
            onChange={(perAccountPerMinute) => set('outgoing', { ...outgoing, perAccountPerMinute })}
            error={issueAt(issues, 'outgoing.perAccountPerMinute')}
          />
          <NumberField
            id="bot-outgoing-jitter"
            label={t('bot.outgoing.jitter')}
            hint={t('bot.outgoing.jitterHint')}
            min={0}
            max={10000}
            value={outgoing.jitterMs}
            onChange={(jitterMs) => set('outgoing', { ...outgoing, jitterMs })}
            error={issueAt(issues, 'outgoing.jitterMs')}
          />
          <SelectField
            id="bot-invitations-friends"
            label={t('bot.invitations.friends')}
            value={invitations.friends}
            onChange={(friends) => set('invitations', { ...invitations, friends })}
            options={acceptOptions}
          />
          <SelectField
            id="bot-invitations-groups"
            label={t('bot.invitations.groups')}
            value={invitations.groups}
            onChange={(groups) => set('invitations', { ...invitations, groups })}
            options={acceptOptions}
          />
        </div>
      </fieldset>
    </>
  )
}
