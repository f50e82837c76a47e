import { useRef, useState } from 'react'
import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'

/** The new key, shown this once: copy it now, it cannot be shown again. */
export function NewKeyDialog(props: { name: string; secret: string; onClose: () => void }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  const field = useRef<HTMLInputElement>(null)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret)
      setCopied('yes')
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for Ctrl+C instead.
      field.current?.select()
      setCopied('no')
    }
  }

  return (
    <Modal title={t('keys.createdTitle', { name: props.name })} onClose={props.onClose} testId="new-key-dialog">
      <div className="modal-body">
        <p className="warning" role="alert">
          {t('keys.onceWarning')}
        </p>
        <label htmlFor="new-key-value">{t('keys.key')}</label>
        <div className="copy-row">
          <input
            id="new-key-value"
            ref={field}
            data-testid="api-key-value"
            readOnly
            value={props.secret}
            onFocus={(event) => event.target.select()}
          />
          <button type="button" className="primary" data-testid="api-key-copy" onClick={() => void copy()}>
            {t('keys.copy')}
          </button>
        </div>
        <p role="status" className="muted">
          {copied === 'yes' ? t('keys.copied') : copied === 'no' ? t('keys.copyManually') : ''}
        </p>
        <p className="hint">{t('keys.usage')}</p>
        <div className="modal-actions">
          <button type="button" data-testid="api-key-done" onClick={props.onClose}>
            {t('keys.done')}
          </button>
        </div>
      </div>
    </Modal>
  )
}
