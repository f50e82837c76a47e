/**
 * Why a model file could not be had: the hub or URL did not answer (`offline`: DNS, connect,
 * stall, reset), answered something other than the file (`http`, `missing`), or sent bytes that
 * are not the file (`checksum`). The worker then answers from the knowledge base instead.
 */
export class ModelDownloadError extends Error {
  override readonly name = 'ModelDownloadError'
  constructor(
    message: string,
    readonly reason: 'offline' | 'http' | 'missing' | 'checksum',
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** A fetch failure in plain words ("connection refused"), from the system error under it. */
export function networkFailure(url: string, error: unknown): ModelDownloadError {
  if (error instanceof ModelDownloadError) return error
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (error as { code?: string }).code
  const what =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `cannot resolve ${new URL(url).hostname}`
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'timed out connecting'
          : (cause?.message ?? (error as Error).message)
  return new ModelDownloadError(`cannot reach ${new URL(url).origin} (${what})`, 'offline', { cause: error })
}
