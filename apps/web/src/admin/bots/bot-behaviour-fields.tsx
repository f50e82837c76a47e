import { useI18n } from '../../i18n.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField } from '../ui/inputs.js'
import { ListField } from '../ui/list-input.js'
import { settingSetter, type DraftProps } from './bot-draft.js'

/** When and where the bot answers, how its replies are cut and paced, media, and blocked words. */
export function BehaviourFields(props: DraftProps) {
  const { t } = useI18n()
  const { issues } = props
  const { trigger, groups, reply, media } = props.draft.settings
  const set = settingSetter(props.setDraft)
  return (
    <>
      <fieldset className="form-section">
        <legend>{t('bot.section.trigger')}</legend>
        <p className="hint">{t('bot.triggerIntro')}</p>
        <div className="field-grid">
          <CheckField
            id="bot-trigger-mention"
            testId="bot-trigger-mention"
            label={t('bot.trigger.mention')}
            checked={trigger.mention}
            onChange={(mention) => set('trigger', { ...trigger, mention })}
          />
          <CheckField
            id="bot-trigger-quotes"
            label={t('bot.trigger.quotes')}
            checked={trigger.quotes}
            onChange={(quotes) => set('trigger', { ...trigger, quotes })}
          />
          <ListField
            id="bot-trigger-prefixes"
            testId="bot-trigger-prefixes"
            label={t('bot.trigger.prefixes')}
            hint={t('bot.trigger.prefixesHint')}
            placeholder="/ai"
            value={trigger.prefixes}
            onChange={(prefixes) => set('trigger', { ...trigger, prefixes })}
            error={issueAt(issues, 'trigger.prefixes')}
          />
          <ListField
            id="bot-trigger-keywords"
            label={t('bot.trigger.keywords')}
            hint={t('admin.onePerLine')}
            value={trigger.keywords}
            onChange={(keywords) => set('trigger', { ...trigger, keywords })}
            error={issueAt(issues, 'trigger.keywords')}
          />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.audience')}</legend>
        <div className="field-grid">
          <CheckField
            id="bot-private-chats"
            testId="bot-private-chats"
            label={t('bot.privateChats')}
            checked={props.draft.settings.privateChats}
            onChange={(privateChats) => set('privateChats', privateChats)}
          />
          <SelectField
            id="bot-session-scope"
            label={t('bot.sessionScope')}
            hint={t('bot.sessionScopeHint')}
            value={props.draft.settings.sessionScope}
            onChange={(sessionScope) => set('sessionScope', sessionScope)}
            options={[
              { value: 'member', label: t('bot.sessionScope.member') },
              { value: 'group', label: t('bot.sessionScope.group') },
            ]}
          />
          <ListField
            id="bot-groups-allow"
            label={t('bot.groups.allow')}
            hint={t('bot.groups.allowHint')}
            value={groups.allow}
            onChange={(allow) => set('groups', { ...groups, allow })}
            error={issueAt(issues, 'groups.allow')}
          />
          <ListField
            id="bot-groups-deny"
            label={t('bot.groups.deny')}
            hint={t('admin.onePerLine')}
            value={groups.deny}
            onChange={(deny) => set('groups', { ...groups, deny })}
            error={issueAt(issues, 'groups.deny')}
          />
          <ListField
            id="bot-ignore"
            label={t('bot.ignore')}
            hint={t('bot.ignoreHint')}
            value={props.draft.settings.ignore}
            onChange={(ignore) => set('ignore', ignore)}
            error={issueAt(issues, 'ignore')}
          />
          <NumberField
            id="bot-context-expiry"
            label={t('bot.contextExpiry')}
            hint={t('bot.contextExpiryHint')}
            min={0}
            max={43200}
            value={props.draft.settings.contextExpiryMinutes}
            onChange={(minutes) => set('contextExpiryMinutes', minutes)}
            error={issueAt(issues, 'contextExpiryMinutes')}
          />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.replies')}</legend>
        <div className="field-grid">
          <NumberField
            id="bot-reply-max-chars"
            testId="bot-reply-max-chars"
            label={t('bot.reply.maxChars')}
            hint={t('bot.reply.maxCharsHint')}
            min={100}
            max={4000}
            value={reply.maxChars}
            onChange={(maxChars) => set('reply', { ...reply, maxChars })}
            error={issueAt(issues, 'reply.maxChars')}
          />
          <NumberField
            id="bot-reply-part-delay"
            label={t('bot.reply.partDelay')}
            min={0}
            max={10000}
            value={reply.partDelayMs}
            onChange={(partDelayMs) => set('reply', { ...reply, partDelayMs })}
            error={issueAt(issues, 'reply.partDelayMs')}
          />
          <NumberField
            id="bot-reply-thinking"
            label={t('bot.reply.thinking')}
            hint={t('bot.reply.thinkingHint')}
            min={0}
            max={600000}
            value={reply.thinkingNoticeMs}
            onChange={(thinkingNoticeMs) => set('reply', { ...reply, thinkingNoticeMs })}
            error={issueAt(issues, 'reply.thinkingNoticeMs')}
          />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.media')}</legend>
        <div className="field-grid">
          <SelectField
            id="bot-media-images"
            label={t('bot.media.images')}
            value={media.images}
            onChange={(images) => set('media', { ...media, images })}
            options={[
              { value: 'vision', label: t('bot.media.vision') },
              { value: 'reply', label: t('bot.media.reply') },
              { value: 'ignore', label: t('bot.media.ignore') },
            ]}
          />
          <SelectField
            id="bot-media-other"
            label={t('bot.media.other')}
            hint={t('bot.media.otherHint')}
            value={media.other}
            onChange={(other) => set('media', { ...media, other })}
            options={[
              { value: 'reply', label: t('bot.media.reply') },
              { value: 'ignore', label: t('bot.media.ignore') },
            ]}
          />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('bot.section.safety')}</legend>
        <ListField
          id="bot-blocked-words"
          testId="bot-blocked-words"
          label={t('bot.blockedWords')}
          hint={t('bot.blockedWordsHint')}
          rows={4}
          value={props.draft.settings.blockedWords}
          onChange={(blockedWords) => set('blockedWords', blockedWords)}
          error={issueAt(issues, 'blockedWords')}
        />
      </fieldset>
    </>
  )
}
