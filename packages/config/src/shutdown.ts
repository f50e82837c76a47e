import type { Logger } from 'pino'

/** Stops the app cleanly on the first SIGINT/SIGTERM, then exits (1 if stopping failed). */
export function stopOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return
      stopping = true
      logger.info({ signal }, 'stopping')
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean stop')
          process.exit(1)
        },
      )
    })
  }
}
