import type { ConnectionResult } from '../../api/admin-types.js'
import { useI18n } from '../../i18n.js'

/** "Test connection"'s answer: connected in N ms with the models served, or what went wrong. */
export function ConnectionResultView(props: { result: ConnectionResult; testId?: string }) {
  const { t } = useI18n()
  const { result } = props
  return (
    <p
      className={`connection-result ${result.ok ? 'ok' : 'failed'}`}
      role="status"
      data-testid={props.testId ?? 'endpoint-test-result'}
      data-ok={result.ok}
    >
      {result.ok ? (
        <>
          <span aria-hidden="true">✓ </span>
          {t('endpoint.testOk', { ms: result.latencyMs })}
          {result.models.length > 0 && <> · {t('endpoint.testModels', { models: result.models.join(', ') })}</>}
          {result.note && <> · {result.note}</>}
        </>
      ) : (
        <>
          <span aria-hidden="true">✗ </span>
          {t('endpoint.testFailed', { ms: result.latencyMs, error: result.error })}
        </>
      )}
    </p>
  )
}
