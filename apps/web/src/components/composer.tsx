import { staffTextBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { queryKeys } from '../api/query-keys.js'
import type { CannedResponse } from '@chorus/protocol'
import type { Notify } from '../hooks/use-conversation-actions.js'
import { useCannedMatches } from '../hooks/use-canned-matches.js'
import { useI18n } from '../i18n.js'
import { CannedMatchList, CannedPicker } from './canned-list.js'
import { FormError } from './form-error.js'
import { LockIcon } from './lock-icon.js'
import { SuggestionChips } from './suggestion-chips.js'

type Mode = 'reply' | 'note'

const typingIntervalMs = 3000

/**
 * The reply box: a reply to the user or a private note (the API's own body schema checks it);
 * canned responses by "/" + shortcut or from a picker; suggested replies as chips to edit.
 * Enabled only while the agent owns the conversation; what is sent reloads the conversation.
 */
export function Composer(props: {
  api: ApiClient
  conversationId: string
  enabled: boolean
  /** Who else owns the conversation, when someone does: they alone reply. */
  assignedTo: string | null
  canned: CannedResponse[]
  notify: Notify
}) {
  const { t } = useI18n()
  const { api, conversationId, notify } = props
  const queries = useQueryClient()
  const inputId = useId()
  const formRef = useRef<HTMLFormElement>(null)
  const input = useRef<HTMLTextAreaElement | null>(null)
  const lastTyping = useRef(0)
  const [mode, setMode] = useState<Mode>('reply')
  const [caret, setCaret] = useState(0)
  const [pickerOpen, setPickerOpen] = useState(false)
  const form = useForm({ resolver: zodResolver(staffTextBody), defaultValues: { text: '' } })
  const text = useWatch({ control: form.control, name: 'text' })
  const completion = useCannedMatches(props.canned, text, caret, props.enabled)

  const failed = (failure: unknown) => notify(t('error.generic', { message: ApiError.from(failure).message }), 'error')
  const suggest = useMutation({ mutationFn: () => api.suggestions(conversationId), onError: failed })
  const send = useMutation({
    mutationFn: (body: { text: string }) =>
      mode === 'note' ? api.addNote(conversationId, body.text) : api.sendMessage(conversationId, body.text),
    onSuccess: () => {
      form.reset()
      suggest.reset()
      void queries.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) })
    },
    onError: failed,
  })
  const submit = form.handleSubmit((body) => {
    if (props.enabled && !send.isPending) send.mutate(body)
  })

  /** Puts `next` in the box with the caret at `cursor`. */
  const fill = (next: string, cursor = next.length) => {
    form.setValue('text', next)
    setCaret(cursor)
    requestAnimationFrame(() => {
      input.current?.focus()
      input.current?.setSelectionRange(cursor, cursor)
    })
  }

  const insertCanned = (canned: CannedResponse) => {
    setPickerOpen(false)
    const { slash } = completion
    if (slash) {
      const before = text.slice(0, slash.start)
      fill(before + canned.text + text.slice(caret), before.length + canned.text.length)
    } else {
      const at = input.current?.selectionStart ?? text.length
      fill(text.slice(0, at) + canned.text + text.slice(at), at + canned.text.length)
    }
  }

  const typed = (next: string, cursor: number) => {
    setCaret(cursor)
    const now = Date.now()
    if (mode === 'reply' && next.trim() && now - lastTyping.current >= typingIntervalMs) {
      lastTyping.current = now
      // Only a hint for the user's side: a lost one is not worth telling the agent about.
      api.typing(conversationId).catch(() => undefined)
    }
  }

  // Ctrl/⌘+Enter sends from anywhere in the composer (the textarea, a chip, a button) or from
  // nowhere in particular (after a click on the history), but not from another field.
  const submitLatest = useRef(submit)
  useEffect(() => {
    submitLatest.current = submit
  })
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return
      const target = event.target instanceof Node ? event.target : null
      if (target !== document.body && !formRef.current?.contains(target)) return
      event.preventDefault()
      void submitLatest.current()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!completion.shown || event.ctrlKey || event.metaKey || event.altKey) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      completion.move(event.key === 'ArrowDown' ? 1 : -1)
    } else if (event.key === 'Tab' || event.key === 'Enter') {
      event.preventDefault()
      const chosen = completion.matches[completion.highlighted]
      if (chosen) insertCanned(chosen)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      completion.dismiss()
    }
  }

  const listId = `${inputId}-canned`
  const field = form.register('text')
  return (
    <form
      ref={formRef}
      className={`composer composer-${mode}`}
      aria-label={mode === 'note' ? t('composer.noteLabel') : t('composer.label')}
      onSubmit={(event) => void submit(event)}
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
          <button
            type="button"
            data-testid="suggest-button"
            disabled={!props.enabled || suggest.isPending}
            onClick={() => suggest.mutate()}
          >
            {suggest.isPending ? t('composer.suggesting') : t('composer.suggest')}
          </button>
        </div>
      </div>
      {pickerOpen && <CannedPicker canned={props.canned} onPick={insertCanned} />}
      {suggest.data && <SuggestionChips suggestions={suggest.data} onPick={(suggestion) => fill(suggestion)} />}
      <label htmlFor={inputId} className="visually-hidden">
        {mode === 'note' ? t('composer.noteLabel') : t('composer.label')}
      </label>
      {!props.enabled && (
        <p className="muted composer-hint">
          {props.assignedTo ? t('composer.assignedElsewhere', { name: props.assignedTo }) : t('composer.disabled')}
        </p>
      )}
      <FormError message={form.formState.errors.text ? t('composer.invalid') : null} />
      <div className="composer-input">
        <textarea
          id={inputId}
          data-testid="composer-input"
          rows={3}
          disabled={!props.enabled}
          placeholder={mode === 'note' ? t('composer.notePlaceholder') : t('composer.placeholder')}
          aria-autocomplete="list"
          aria-controls={completion.shown ? listId : undefined}
          {...field}
          onChange={(event) => {
            void field.onChange(event)
            typed(event.target.value, event.target.selectionStart)
          }}
          ref={(element) => {
            field.ref(element)
            input.current = element
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        {completion.shown && <CannedMatchList id={listId} completion={completion} onPick={insertCanned} />}
        <button type="submit" className="primary" data-testid="send-button" disabled={!props.enabled || send.isPending || !text.trim()}>
          {send.isPending ? t('composer.sending') : mode === 'note' ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
    </form>
  )
}
