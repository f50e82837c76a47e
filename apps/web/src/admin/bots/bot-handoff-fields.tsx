import type { BusinessHours } from '../../api/admin-types.js'
import { localeOf, useI18n } from '../../i18n.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField, TextField } from '../ui/inputs.js'
import { ListField } from '../ui/list-input.js'
import { settingSetter, type DraftProps } from './bot-draft.js'

/** Monday first, as calendars in China show the week; 0 is Sunday for the API. */
const weekOrder = [1, 2, 3, 4, 5, 6, 0]
// 2023-01-01 was a Sunday: adding a day's number gives that weekday.
const weekdayName = (day: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(new Date(2023, 0, 1 + day))

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'America/New_York', 'UTC']
  }
}

function defaultHours(): BusinessHours {
  return { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }
}

/** When a conversation goes to a person: keywords, failed answers, and the business hours people answer in. */
export function HandoffFields(props: DraftProps) {
  const { t, language } = useI18n()
  const { issues } = props
  const handoff = props.draft.settings.handoff
  const hours = handoff.businessHours
  const set = settingSetter(props.setDraft)
  const setHours = (businessHours: BusinessHours | null) => set('handoff', { ...handoff, businessHours })
  const hoursPath = 'handoff.businessHours'
  return (
    <fieldset className="form-section">
      <legend>{t('bot.section.handoff')}</legend>
      <div className="field-grid">
        <ListField
          id="bot-handoff-keywords"
          testId="bot-handoff-keywords"
          label={t('bot.handoff.keywords')}
          hint={t('bot.handoff.keywordsHint')}
          value={handoff.keywords}
          onChange={(keywords) => set('handoff', { ...handoff, keywords })}
          error={issueAt(issues, 'handoff.keywords')}
        />
        <NumberField
          id="bot-handoff-failures"
          testId="bot-handoff-failures"
          label={t('bot.handoff.failures')}
          hint={t('bot.handoff.failuresHint')}
          min={0}
          max={10}
          value={handoff.failuresBeforeHandoff}
          onChange={(failuresBeforeHandoff) => set('handoff', { ...handoff, failuresBeforeHandoff })}
          error={issueAt(issues, 'handoff.failuresBeforeHandoff')}
        />
        <SelectField
          id="bot-handoff-wecom"
          testId="bot-handoff-wecom"
          label={t('wecom.handoff')}
          hint={t('wecom.handoffHint')}
          value={handoff.wecom}
          onChange={(wecom) => set('handoff', { ...handoff, wecom })}
          options={[
            { value: 'console', label: t('wecom.handoffConsole') },
            { value: 'servicers', label: t('wecom.handoffServicers') },
          ]}
          error={issueAt(issues, 'handoff.wecom')}
        />
      </div>
      <CheckField
        id="bot-business-hours"
        testId="bot-business-hours"
        label={t('bot.handoff.businessHours')}
        hint={t('bot.handoff.businessHoursHint')}
        checked={hours !== null}
        onChange={(on) => setHours(on ? defaultHours() : null)}
        error={issueAt(issues, hoursPath)}
      />
      {hours && (
        <div className="business-hours">
          <datalist id="time-zones">
            {timeZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <TextField
            id="bot-hours-timezone"
            testId="bot-hours-timezone"
            label={t('bot.handoff.timezone')}
            list="time-zones"
            value={hours.timezone}
            onChange={(timezone) => setHours({ ...hours, timezone })}
            error={issueAt(issues, `${hoursPath}.timezone`)}
          />
          <fieldset className={`weekdays${issueAt(issues, `${hoursPath}.days`) ? ' has-error' : ''}`}>
            <legend>{t('bot.handoff.days')}</legend>
            {weekOrder.map((day) => (
              <label key={day} className="weekday">
                <input
                  type="checkbox"
                  data-testid={`bot-hours-day-${day}`}
                  checked={hours.days.includes(day)}
                  onChange={(event) =>
                    setHours({
                      ...hours,
                      days: event.target.checked ? [...hours.days, day].sort((a, b) => a - b) : hours.days.filter((d) => d !== day),
                    })
                  }
                />
                {weekdayName(day, localeOf(language))}
              </label>
            ))}
            {issueAt(issues, `${hoursPath}.days`) && <span className="field-error">{issueAt(issues, `${hoursPath}.days`)}</span>}
          </fieldset>
          <TextField
            id="bot-hours-start"
            testId="bot-hours-start"
            type="time"
            label={t('bot.handoff.start')}
            value={hours.start}
            onChange={(start) => setHours({ ...hours, start })}
            error={issueAt(issues, `${hoursPath}.start`)}
          />
          <TextField
            id="bot-hours-end"
            testId="bot-hours-end"
            type="time"
            label={t('bot.handoff.end')}
            value={hours.end}
            onChange={(end) => setHours({ ...hours, end })}
            error={issueAt(issues, `${hoursPath}.end`)}
          />
        </div>
      )}
    </fieldset>
  )
}
