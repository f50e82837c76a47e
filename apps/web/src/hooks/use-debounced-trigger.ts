import { useCallback, useEffect, useRef } from 'react'

/** A stable function that runs the latest `action` once, `delayMs` after the last of a burst of calls. */
export function useDebouncedTrigger(action: () => void, delayMs: number): () => void {
  const latest = useRef(action)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => {
    latest.current = action
  }, [action])
  useEffect(() => () => clearTimeout(timer.current), [])
  return useCallback(() => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => latest.current(), delayMs)
  }, [delayMs])
}
