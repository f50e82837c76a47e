import type { DownloadProgress } from './model-download.js'

/** Shows one download's progress: `update` as bytes arrive, `done` once at the end, whichever it is. */
export interface ProgressReporter {
  update(progress: DownloadProgress): void
  done(complete: boolean): void
}

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(bytes < 100_000_000 ? 1 : 0)

function describe({ received, total }: DownloadProgress, startedAt: number, startBytes: number): string {
  const seconds = (Date.now() - startedAt) / 1000
  const rate = seconds > 0 ? (received - startBytes) / seconds : 0
  const speed = `${(rate / 1_000_000).toFixed(1)} MB/s`
  if (total === undefined || total === 0) return `${megabytes(received)} MB, ${speed}`
  const left = rate > 0 && received < total ? `, ${Math.ceil((total - received) / rate)} s left` : ''
  return `${Math.floor((100 * received) / total)}% (${megabytes(received)}/${megabytes(total)} MB), ${speed}${left}`
}

/** A bar redrawn in place on a terminal, at most ten times a second. */
export function progressBar(stream: NodeJS.WriteStream, label: string): ProgressReporter {
  const startedAt = Date.now()
  let startBytes: number | undefined
  let drawnAt = 0
  let drawn = false
  let last: DownloadProgress = { received: 0 }
  const draw = () => {
    drawn = true
    const width = 30
    const filled = last.total ? Math.round((width * last.received) / last.total) : 0
    const bar = last.total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : ''
    stream.write(`\r\x1b[K${label} ${bar}${describe(last, startedAt, startBytes ?? 0)}`)
  }
  return {
    update(progress) {
      startBytes ??= progress.received
      last = progress
      if (Date.now() - drawnAt < 100) return
      drawnAt = Date.now()
      draw()
    },
    done(complete) {
      if (complete) draw()
      // The next line (the outcome, or why it failed) starts on a line of its own.
      if (drawn) stream.write('\n')
    },
  }
}

/** A plain line every `intervalMs` (for logs and pipes, where a bar would be noise). */
export function progressLines(
  write: (line: string, progress: DownloadProgress) => void,
  label: string,
  intervalMs = 10_000,
): ProgressReporter {
  const startedAt = Date.now()
  let startBytes: number | undefined
  let writtenAt = Date.now()
  let last: DownloadProgress = { received: 0 }
  return {
    update(progress) {
      if (startBytes === undefined) {
        startBytes = progress.received
        write(`downloading ${label}${progress.received > 0 ? ` (resuming at ${megabytes(progress.received)} MB)` : ''}`, progress)
      }
      last = progress
      if (Date.now() - writtenAt < intervalMs) return
      writtenAt = Date.now()
      write(`downloading ${label}: ${describe(progress, startedAt, startBytes)}`, progress)
    },
    done(complete) {
      if (complete) write(`downloaded ${label}: ${describe(last, startedAt, startBytes ?? 0)}`, last)
    },
  }
}
