import type { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'

/** What stands where a conversation is not shown: why it failed, or that it is loading or gone. */
export function MissingConversation(props: { loading: boolean; error: ApiError | null }) {
  const { t } = useI18n()
  if (props.error) return <FormError message={t('error.generic', { message: props.error.message })} />
  return <p className="muted">{props.loading ? t('conversation.loading') : t('conversation.none')}</p>
}
