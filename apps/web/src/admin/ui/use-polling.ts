import { useEffect, useRef } from 'react'

/**
 * Runs `tick` now and then every `intervalMs` after the previous run finished (so slow answers
 * never pile up) while mounted; stops when the page is left. `tick` may change between runs.
 */
export function usePolling(tick: () => Promise<void>, intervalMs: number, enabled = true): void {
  const latest = useRef(tick)
  useEffect(() => {
    latest.current = tick
  }, [tick])

  useEffect(() => {
    if (!enabled) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const run = async () => {
      await latest.current().catch(() => undefined)
      if (!stopped) timer = setTimeout(() => void run(), intervalMs)
    }
    void run()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [intervalMs, enabled])
}
