import { useI18n, type MessageKey } from '../i18n.js'
import { Modal } from './modal.js'

const shortcuts: { keys: string[][]; what: MessageKey }[] = [
  {
    keys: [
      ['Ctrl', 'Enter'],
      ['⌘', 'Enter'],
    ],
    what: 'help.send',
  },
  {
    keys: [
      ['Alt', '↑'],
      ['Alt', '↓'],
    ],
    what: 'help.prevNext',
  },
  { keys: [['Alt', 'C']], what: 'help.claim' },
  { keys: [['Alt', 'R']], what: 'help.release' },
  { keys: [['/']], what: 'help.search' },
  { keys: [['/', '…']], what: 'help.canned' },
  { keys: [['?']], what: 'help.help' },
]

/** The keyboard shortcuts, opened with "?" or the help button. */
export function HelpPanel(props: { onClose: () => void }) {
  const { t } = useI18n()
  return (
    <Modal title={t('help.title')} onClose={props.onClose} testId="help-panel">
      <table className="shortcuts">
        <tbody>
          {shortcuts.map((shortcut) => (
            <tr key={shortcut.what}>
              <td>
                {shortcut.keys.map((combo, index) => (
                  <span key={index} className="combo">
                    {index > 0 && ' / '}
                    {combo.map((key, keyIndex) => (
                      <span key={keyIndex}>
                        {keyIndex > 0 && '+'}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </span>
                ))}
              </td>
              <td>{t(shortcut.what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  )
}
