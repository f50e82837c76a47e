import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { ModelDownloadError, networkFailure } from './model-download-error.js'

/** Bytes so far, and in all when the server or the catalog says. */
export interface DownloadProgress {
  received: number
  total?: number
}

/** What the downloaded bytes must be; unknown parts are not checked. */
export interface ExpectedFile {
  sha256?: string
  size?: number
}

export interface DownloadOptions {
  /** No byte for this long (or no answer) counts as offline. */
  stallTimeoutMs: number
  onProgress?: (progress: DownloadProgress) => void
}

/**
 * A fetch that gives up when the server falls silent for `stallTimeoutMs` (a whole-request
 * timeout cannot tell a slow 2 GB download from a dead one). `kick` after every chunk.
 */
export async function fetchWithStallTimeout(url: string, stallTimeoutMs: number, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const kick = () => {
    clearTimeout(timer)
    timer = setTimeout(
      () => controller.abort(new ModelDownloadError(`${new URL(url).origin} sent nothing for ${stallTimeoutMs / 1000} s`, 'offline')),
      stallTimeoutMs,
    )
  }
  const stop = () => clearTimeout(timer)
  kick()
  try {
    const response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' })
    return { response, kick, stop, signal: controller.signal }
  } catch (error) {
    stop()
    throw networkFailure(url, controller.signal.reason ?? error)
  }
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk)
  })
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  )
}

/**
 * Downloads `url` to `target` through `target.part`: resumes a part left by an interrupted
 * download (HTTP Range), checks size and SHA-256, and only then renames it into place, so a
 * partial or wrong file is never at `target`. A wrong file's part is deleted.
 */
export async function downloadVerified(url: string, target: string, expected: ExpectedFile, options: DownloadOptions): Promise<void> {
  const part = `${target}.part`
  let offset = await sizeOf(part)
  if (expected.size !== undefined && offset > expected.size) {
    await rm(part, { force: true })
    offset = 0
  }
  const hash = createHash('sha256')
  let total = expected.size
  if (expected.size === undefined || offset < expected.size) {
    ;({ received: offset, total } = await receive(url, part, offset, hash, expected, options))
  } else {
    await hashFile(part, hash)
  }
  total ??= offset
  if (offset > total) {
    await rm(part, { force: true })
    throw new ModelDownloadError(`${url} sent ${offset} bytes, not the expected ${total}; the download was deleted`, 'checksum')
  }
  if (offset < total) {
    // Kept: the next start resumes from here.
    throw new ModelDownloadError(`the download from ${new URL(url).origin} stopped at ${offset} of ${total} bytes`, 'offline')
  }
  const sha256 = hash.digest('hex')
  if (expected.sha256 !== undefined && sha256 !== expected.sha256.toLowerCase()) {
    await rm(part, { force: true })
    throw new ModelDownloadError(
      `checksum mismatch: expected SHA-256 ${expected.sha256}, got ${sha256}; the download was deleted`,
      'checksum',
    )
  }
  await rename(part, target)
}

/**
 * Fetches from `offset` on (appending to `part`), hashing every byte; returns the part's new size
 * and the whole file's, as far as the catalog or the server's Content-Length tell.
 */
async function receive(
  url: string,
  part: string,
  offset: number,
  hash: Hash,
  expected: ExpectedFile,
  options: DownloadOptions,
): Promise<DownloadProgress> {
  const { response, kick, stop, signal } = await fetchWithStallTimeout(
    url,
    options.stallTimeoutMs,
    offset > 0 ? { range: `bytes=${offset}-` } : {},
  )
  try {
    const resumed = response.status === 206 && (response.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`)
    if (offset > 0 && (response.status === 416 || (response.status === 206 && !resumed))) {
      // The part is not a prefix the server can continue: start over.
      await response.body?.cancel()
      await rm(part, { force: true })
      stop()
      return receive(url, part, 0, hash, expected, options)
    }
    if (!resumed && response.status !== 200) {
      await response.body?.cancel()
      throw new ModelDownloadError(`${url} answered HTTP ${response.status}`, response.status === 404 ? 'missing' : 'http')
    }
    let received = resumed ? offset : 0
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    const announced = Number.isFinite(length) ? received + length : undefined
    if (expected.size !== undefined && announced !== undefined && announced !== expected.size) {
      // Another file than the one expected: not worth downloading, and the part is no prefix of it.
      await response.body?.cancel()
      await rm(part, { force: true })
      throw new ModelDownloadError(`${url} serves ${announced} bytes, not the expected ${expected.size}`, 'checksum')
    }
    const total = expected.size ?? announced
    if (!response.body) throw new ModelDownloadError(`${url} sent no body`, 'http')
    if (resumed) await hashFile(part, hash)
    options.onProgress?.({ received, total })
    await pipeline(
      response.body,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          kick()
          hash.update(chunk)
          received += chunk.length
          options.onProgress?.({ received, total })
          yield chunk
        }
      },
      createWriteStream(part, { flags: resumed ? 'a' : 'w' }),
    )
    return { received, total }
  } catch (error) {
    // A file system error (disk full, no permission) is not the network's: it stays what it is.
    if (error instanceof ModelDownloadError || (error as NodeJS.ErrnoException).syscall) throw error
    throw networkFailure(url, signal.reason ?? error)
  } finally {
    stop()
  }
}
