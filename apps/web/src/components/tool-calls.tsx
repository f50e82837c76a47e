import type { RecordedToolCall } from '@chorus/protocol'
import { useI18n, type MessageKey } from '../i18n.js'

const statusKeys: Record<RecordedToolCall['status'], MessageKey> = {
  ok: 'toolStatus.ok',
  error: 'toolStatus.error',
  timeout: 'toolStatus.timeout',
  invalid_arguments: 'toolStatus.invalid_arguments',
  unknown_tool: 'toolStatus.unknown_tool',
  awaiting_confirmation: 'toolStatus.awaiting_confirmation',
  declined: 'toolStatus.declined',
}

/** Green for a result, amber while the user decides (or said no), red for a failure. */
function statusTone(status: RecordedToolCall['status']): string {
  if (status === 'ok') return 'ok'
  return status === 'awaiting_confirmation' || status === 'declined' ? 'pending' : 'failed'
}

/** Arguments as the model wrote them, indented when they are JSON. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** The tools the bot called for a reply, collapsed under one line; opened, each call with its arguments and result. */
export function ToolCalls(props: { calls: RecordedToolCall[] }) {
  const { t } = useI18n()
  const count = props.calls.length
  return (
    <details className="tool-calls" data-testid="tool-calls">
      <summary>{count === 1 ? t('toolCalls.summaryOne') : t('toolCalls.summary', { count })}</summary>
      <ol>
        {props.calls.map((call) => (
          <li key={call.id} className="tool-call" data-testid="tool-call" data-status={call.status}>
            <div className="tool-call-head">
              <code>{call.tool}</code>
              <span className="muted">{call.server === 'builtin' ? t('toolCalls.builtin') : call.server}</span>
              <span className={`tool-call-status ${statusTone(call.status)}`}>{t(statusKeys[call.status])}</span>
              <span className="muted">{call.ms} ms</span>
            </div>
            <span className="tool-call-label">{t('toolCalls.arguments')}</span>
            <pre>{prettyJson(call.arguments)}</pre>
            <span className="tool-call-label">{t('toolCalls.result')}</span>
            <pre>{call.result}</pre>
          </li>
        ))}
      </ol>
    </details>
  )
}
