import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../api/api-error.js'
import { useI18n } from '../../i18n.js'

export interface Notice {
  id: number
  text: string
  kind: 'info' | 'error'
}

export interface Notices {
  notice: Notice | null
  info(text: string): void
  /** Reports a failed call in the user's language. */
  fail(failure: unknown): void
  dismiss(): void
}

/** One message at a time for a page: confirmations fade after 5 s, errors stay until dismissed. */
export function useNotices(): Notices {
  const { t } = useI18n()
  const [notice, setNotice] = useState<Notice | null>(null)
  useEffect(() => {
    if (notice?.kind !== 'info') return
    const timer = setTimeout(() => setNotice((current) => (current?.id === notice.id ? null : current)), 5000)
    return () => clearTimeout(timer)
  }, [notice])
  return {
    notice,
    info: useCallback((text: string) => setNotice({ id: Date.now(), text, kind: 'info' }), []),
    fail: useCallback(
      (failure: unknown) =>
        setNotice({ id: Date.now(), text: t('error.generic', { message: ApiError.from(failure).message }), kind: 'error' }),
      [t],
    ),
    dismiss: useCallback(() => setNotice(null), []),
  }
}

export function NoticeBar(props: { notices: Notices }) {
  const { t } = useI18n()
  const { notice, dismiss } = props.notices
  if (!notice) return null
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label={t('error.dismiss')} onClick={dismiss}>
        ×
      </button>
    </div>
  )
}

/** An error that came instead of a page's data. */
export function LoadError(props: { error: Error | null; onRetry?: () => void }) {
  const { t } = useI18n()
  if (!props.error) return null
  return (
    <p className="form-error" role="alert">
      {t('error.generic', { message: props.error.message })}{' '}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('admin.retry')}
        </button>
      )}
    </p>
  )
}
