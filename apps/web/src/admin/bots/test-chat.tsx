import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { RecordedToolCall } from '@chorus/protocol'
import type { AdminApi } from '../../api/admin-client.js'
import type { ChatTurn } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { ToolCalls } from '../../components/tool-calls.js'
import { useI18n } from '../../i18n.js'

/** The API takes at most this many messages; older ones are left out of what is sent. */
const maxTurns = 40

/**
 * A live chat with the bot's model and the persona as being edited, saved or not (nothing
 * stored, no WeChat): each send posts the running message list to `POST /api/bots/:id/test-chat`.
 */
export function TestChat(props: { admin: AdminApi; botId: string; dirty: boolean; persona?: string }) {
  const { t } = useI18n()
  const [turns, setTurns] = useState<ChatTurn[]>([])
  // The tools the bot called for an answer, by the answer's place in `turns` (shown, never sent back).
  const [calls, setCalls] = useState<Record<number, RecordedToolCall[]>>({})
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const log = useRef<HTMLOListElement>(null)

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight
  }, [turns, busy])

  const send = async (event?: FormEvent) => {
    event?.preventDefault()
    const content = text.trim()
    if (!content || busy) return
    const next: ChatTurn[] = [...turns, { role: 'user', content }]
    setTurns(next)
    setText('')
    setBusy(true)
    setError(null)
    try {
      const answer = await props.admin.testChat(props.botId, next.slice(-maxTurns), props.persona)
      setTurns([...next, { role: 'assistant', content: answer.reply }])
      const made = answer.toolCalls
      if (made?.length) setCalls((kept) => ({ ...kept, [next.length]: made }))
    } catch (failure) {
      const apiError = ApiError.from(failure)
      setError(
        apiError.status === 502
          ? t('testChat.modelFailed', { message: apiError.message })
          : t('error.generic', { message: apiError.message }),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <aside className="card test-chat" aria-labelledby="test-chat-title" data-testid="test-chat">
      <div className="card-title-row">
        <h2 id="test-chat-title">{t('testChat.title')}</h2>
        <button
          type="button"
          data-testid="test-chat-clear"
          disabled={turns.length === 0 || busy}
          onClick={() => {
            setTurns([])
            setCalls({})
          }}
        >
          {t('testChat.clear')}
        </button>
      </div>
      <p className="hint">{t('testChat.intro')}</p>
      {props.dirty && (
        <p className="warning" role="status">
          {t('testChat.unsaved')}
        </p>
      )}
      <ol className="test-chat-log" ref={log} role="log" aria-live="polite" aria-label={t('testChat.log')}>
        {turns.length === 0 && <li className="muted test-chat-empty">{t('testChat.empty')}</li>}
        {turns.map((turn, index) => (
          <li key={index} className={`message message-${turn.role}`} data-testid="test-chat-message" data-role={turn.role}>
            <span className="message-author">{t(turn.role === 'user' ? 'testChat.you' : 'role.assistant')}</span>
            <p className="message-text">{turn.content}</p>
            {calls[index] && <ToolCalls calls={calls[index]} />}
          </li>
        ))}
        {busy && <li className="muted typing">{t('testChat.thinking')}</li>}
      </ol>
      {error && (
        <p className="form-error" role="alert" data-testid="test-chat-error">
          {error}
        </p>
      )}
      <form className="test-chat-form" onSubmit={(event) => void send(event)}>
        <label htmlFor="test-chat-input" className="visually-hidden">
          {t('testChat.message')}
        </label>
        <textarea
          id="test-chat-input"
          data-testid="test-chat-input"
          rows={2}
          placeholder={t('testChat.placeholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter starts a new line; never while an input method is composing.
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault()
              void send()
            }
          }}
        />
        <button type="submit" className="primary" data-testid="test-chat-send" disabled={busy || !text.trim()}>
          {t('composer.send')}
        </button>
      </form>
    </aside>
  )
}
