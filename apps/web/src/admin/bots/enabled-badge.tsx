import { useI18n } from '../../i18n.js'

/** On or off, as a small coloured badge. */
export function EnabledBadge(props: { enabled: boolean }) {
  const { t } = useI18n()
  return (
    <span className={`badge ${props.enabled ? 'badge-ok' : 'badge-off'}`} data-enabled={props.enabled}>
      {t(props.enabled ? 'admin.enabled' : 'admin.disabled')}
    </span>
  )
}
