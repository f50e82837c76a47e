import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useI18n } from '../i18n.js'

/** A modal dialog (the browser's own `<dialog>`: focus trap and Escape come with it). */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const { t } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    // No close() on cleanup: unmounting takes the dialog out of the top layer anyway, and a close
    // event queued by StrictMode's remount would shut the dialog that was just reopened.
    if (dialog && !dialog.open) dialog.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      data-testid={props.testId}
      onClose={props.onClose}
      onCancel={(event) => {
        event.preventDefault()
        props.onClose()
      }}
    >
      <header className="modal-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="icon-button" aria-label={t('help.close')} onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.children}
    </dialog>
  )
}
