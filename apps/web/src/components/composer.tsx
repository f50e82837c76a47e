import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import type { CannedResponse, SuggestedReplies } from '../api/types.js'
import type { Notify } from '../hooks/use-conversation-actions.js'
import { useI18n } from '../i18n.js'
import { LockIcon } from './lock-icon.js'

type Mode = 'reply' | 'note'

const typingIntervalMs = 3000

/** The "/shortcut" being typed just before the caret, if any. */
function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)\/([^\s/]*)$/.exec(text.slice(0, caret))
  if (!match) return null
  return { start: caret - match[1]!.length - 1, query: match[1]!.toLowerCase() }
}

/**
 * The reply box: a reply to the user or a private note; canned responses by "/" + shortcut or
 * from a picker; suggested replies as chips to edit: the model's, or without a model the
 * knowledge base's, labelled with their source. Enabled only while the agent owns the
 * conversation.
 */
export function Composer(props: {
  api: ApiClient
  conversationId: string
  enabled: boolean
  /** Who else owns the conversation, when someone does: they alone reply. */
  assignedTo: string | null
  canned: CannedResponse[]
  notify: Notify
  onSent: () => void
}) {
  const { t } = useI18n()
  const { api, conversationId, notify } = props
  const inputId = useId()
  const form = useRef<HTMLFormElement>(null)
  const input = useRef<HTMLTextAreaElement>(null)
  const lastTyping = useRef(0)
  const [mode, setMode] = useState<Mode>('reply')
  const [text, setText] = useState('')
  const [caret, setCaret] = useState(0)
  const [sending, setSending] = useState(false)
  const [pickerOpen, setPickerOpen] = useState(false)
  const [highlighted, setHighlighted] = useState(0)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [suggestions, setSuggestions] = useState<SuggestedReplies | null>(null)
  const [suggesting, setSuggesting] = useState(false)

  const slash = props.enabled ? slashQuery(text, caret) : null
  const matches = slash ? props.canned.filter((canned) => canned.shortcut.toLowerCase().startsWith(slash.query)) : []
  const showMatches = slash !== null && slash.start !== dismissedAt && matches.length > 0

  const fill = (next: string, cursor = next.length) => {
    setText(next)
    setCaret(cursor)
    setHighlighted(0)
    requestAnimationFrame(() => {
      input.current?.focus()
      input.current?.setSelectionRange(cursor, cursor)
    })
  }

  const insertCanned = (canned: CannedResponse) => {
    setPickerOpen(false)
    if (slash) {
      const before = text.slice(0, slash.start)
      fill(before + canned.text + text.slice(caret), before.length + canned.text.length)
    } else {
      const at = input.current?.selectionStart ?? text.length
      fill(text.slice(0, at) + canned.text + text.slice(at), at + canned.text.length)
    }
  }

  const send = async () => {
    const body = text.trim()
    if (!props.enabled || !body || sending) return
    setSending(true)
    try {
      if (mode === 'note') await api.addNote(conversationId, body)
      else await api.sendMessage(conversationId, body)
      setText('')
      setSuggestions(null)
      props.onSent()
    } catch (failure) {
      notify(t('error.generic', { message: ApiError.from(failure).message }), 'error')
    } finally {
      setSending(false)
    }
  }

  const suggest = async () => {
    setSuggesting(true)
    try {
      setSuggestions(await api.suggestions(conversationId))
    } catch (failure) {
      notify(t('error.generic', { message: ApiError.from(failure).message }), 'error')
    } finally {
      setSuggesting(false)
    }
  }

  const typed = (next: string, cursor: number) => {
    setText(next)
    setCaret(cursor)
    setHighlighted(0)
    const now = Date.now()
    if (mode === 'reply' && next.trim() && now - lastTyping.current >= typingIntervalMs) {
      lastTyping.current = now
      // Only a hint for the user's side: a lost one is not worth telling the agent about.
      api.typing(conversationId).catch(() => undefined)
    }
  }

  // Ctrl/⌘+Enter sends from anywhere in the composer (the textarea, a chip, a button) or from
  // nowhere in particular (after a click on the history), but not from another field.
  const sendLatest = useRef(send)
  useEffect(() => {
    sendLatest.current = send
  })
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return
      const target = event.target instanceof Node ? event.target : null
      if (target !== document.body && !form.current?.contains(target)) return
      event.preventDefault()
      void sendLatest.current()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!showMatches || event.ctrlKey || event.metaKey || event.altKey) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setHighlighted((highlighted + step + matches.length) % matches.length)
    } else if (event.key === 'Tab' || event.key === 'Enter') {
      event.preventDefault()
      const chosen = matches[Math.min(highlighted, matches.length - 1)]
      if (chosen) insertCanned(chosen)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      setDismissedAt(slash?.start ?? null)
    }
  }

  const listId = `${inputId}-canned`
  return (
    <form
      ref={form}
      className={`composer composer-${mode}`}
      aria-label={mode === 'note' ? t('composer.noteLabel') : t('composer.label')}
      onSubmit={(event) => {
        event.preventDefault()
        void send()
      }}
    >
      <div className="composer-toolbar">
        <fieldset className="composer-mode" disabled={!props.enabled}>
          <legend className="visually-hidden">{t('composer.mode')}</legend>
          {(['reply', 'note'] as const).map((value) => (
            <label key={value} className={mode === value ? 'selected' : ''}>
              <input
                type="radio"
                name={`${inputId}-mode`}
                value={value}
                data-testid={`composer-mode-${value}`}
                checked={mode === value}
                onChange={() => setMode(value)}
              />
              {value === 'note' ? (
                <>
                  <LockIcon /> {t('composer.modeNote')}
                </>
              ) : (
                t('composer.modeReply')
              )}
            </label>
          ))}
        </fieldset>
        <div className="composer-tools">
          <button
            type="button"
            data-testid="canned-button"
            aria-expanded={pickerOpen}
            disabled={!props.enabled}
            onClick={() => setPickerOpen(!pickerOpen)}
          >
            {t('composer.canned')}
          </button>
          <button type="button" data-testid="suggest-button" disabled={!props.enabled || suggesting} onClick={() => void suggest()}>
            {suggesting ? t('composer.suggesting') : t('composer.suggest')}
          </button>
        </div>
      </div>
      {pickerOpen && (
        <ul className="canned-picker" aria-label={t('composer.canned')}>
          {props.canned.length === 0 && <li className="muted">{t('composer.cannedNone')}</li>}
          {props.canned.map((canned) => (
            <li key={canned.id}>
              <button type="button" onClick={() => insertCanned(canned)}>
                <strong>/{canned.shortcut}</strong> <span>{canned.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {suggestions && (
        <div className="suggestions" role="group" aria-label={t('composer.suggestions')}>
          {suggestions.needsModel ? (
            <span className="muted" data-testid="suggestions-need-model">
              {t('composer.suggestionsNeedModel')}
            </span>
          ) : (
            suggestions.suggestions.length === 0 && <span className="muted">{t('composer.noSuggestions')}</span>
          )}
          {suggestions.source === 'knowledge' && suggestions.suggestions.length > 0 && (
            <span className="muted suggestions-source" data-testid="suggestions-source">
              {t('composer.fromKnowledge')}
            </span>
          )}
          {suggestions.suggestions.map((suggestion, index) => {
            const source = suggestions.sources?.[index]
            return (
              <button key={index} type="button" className="chip" data-testid="suggestion-chip" onClick={() => fill(suggestion)}>
                {suggestion}
                {source && (
                  <small className="chip-source">
                    {source.question
                      ? t('composer.sourceQuestion', { document: source.document, question: source.question })
                      : t('composer.source', { document: source.document })}
                  </small>
                )}
              </button>
            )
          })}
        </div>
      )}
      <label htmlFor={inputId} className="visually-hidden">
        {mode === 'note' ? t('composer.noteLabel') : t('composer.label')}
      </label>
      {!props.enabled && (
        <p className="muted composer-hint">
          {props.assignedTo ? t('composer.assignedElsewhere', { name: props.assignedTo }) : t('composer.disabled')}
        </p>
      )}
      <div className="composer-input">
        <textarea
          id={inputId}
          ref={input}
          data-testid="composer-input"
          rows={3}
          disabled={!props.enabled}
          value={text}
          placeholder={mode === 'note' ? t('composer.notePlaceholder') : t('composer.placeholder')}
          aria-autocomplete="list"
          aria-controls={showMatches ? listId : undefined}
          onChange={(event) => typed(event.target.value, event.target.selectionStart)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        {showMatches && (
          <ul id={listId} className="canned-matches" role="listbox" aria-label={t('composer.cannedMatches')}>
            {matches.map((canned, index) => (
              <li
                key={canned.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === highlighted}
                onMouseDown={(event) => {
                  event.preventDefault()
                  insertCanned(canned)
                }}
              >
                <strong>/{canned.shortcut}</strong> <span>{canned.text}</span>
              </li>
            ))}
          </ul>
        )}
        <button type="submit" className="primary" data-testid="send-button" disabled={!props.enabled || sending || !text.trim()}>
          {sending ? t('composer.sending') : mode === 'note' ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
    </form>
  )
}
