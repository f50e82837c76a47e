import { Modal } from '../../components/modal.js'
import { useI18n } from '../../i18n.js'

/** "Are you sure?" for something that cannot be undone (a delete, a revoke). */
export function ConfirmDialog(props: { title: string; text: string; confirmLabel: string; onConfirm: () => void; onClose: () => void }) {
  const { t } = useI18n()
  return (
    <Modal title={props.title} onClose={props.onClose} testId="confirm-dialog">
      <p>{props.text}</p>
      <div className="modal-actions">
        <button type="button" onClick={props.onClose}>
          {t('action.cancel')}
        </button>
        <button
          type="button"
          className="danger"
          data-testid="confirm-button"
          onClick={() => {
            props.onClose()
            props.onConfirm()
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  )
}
