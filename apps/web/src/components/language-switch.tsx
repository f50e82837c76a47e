import { useI18n, type Language } from '../i18n.js'

/** Chinese or English; the choice is remembered in this browser. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select data-testid="language-switch" value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        <option value="zh">{t('lang.zh')}</option>
        <option value="en">{t('lang.en')}</option>
      </select>
    </label>
  )
}
