import { useEffect, useRef } from 'react'

export interface ShortcutHandlers {
  previous(): void
  next(): void
  claim(): void
  release(): void
  focusSearch(): void
  toggleHelp(): void
}

/** True while the agent types into a field, where "/" and "?" are just characters. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * The console's global shortcuts: Alt+↑/↓ previous/next conversation, Alt+C claim, Alt+R
 * release, "/" search and "?" help when not typing. (Ctrl/⌘+Enter belongs to the composer.)
 */
export function useKeyboardShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  }, [handlers])

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const act = latest.current
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        // `code`, not `key`: on a Mac, Alt+C types "ç".
        const action =
          event.key === 'ArrowUp'
            ? act.previous
            : event.key === 'ArrowDown'
              ? act.next
              : event.code === 'KeyC'
                ? act.claim
                : event.code === 'KeyR'
                  ? act.release
                  : null
        if (action) {
          event.preventDefault()
          action()
        }
        return
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return
      if (event.key === '/') {
        event.preventDefault()
        act.focusSearch()
      } else if (event.key === '?') {
        event.preventDefault()
        act.toggleHelp()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
