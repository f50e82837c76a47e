/** One bad field of a request, as the API's validation names it (`reply.maxChars`, `baseUrl`). */
export interface FieldIssue {
  path: string
  message: string
}

/** Any failed call to the API: its HTTP status (0 when the server could not be reached) and the contract's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The fields a `400` named, if it named any. */
    readonly issues: FieldIssue[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** Builds the error from a failed response's `{"error":{"code","message","details"?}}` body (or whatever came instead). */
  static async fromResponse(res: Response): Promise<ApiError> {
    const text = await res.text().catch(() => '')
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } }
      if (body.error && typeof body.error.code === 'string') {
        const message = typeof body.error.message === 'string' ? body.error.message : body.error.code
        return new ApiError(res.status, body.error.code, message, issuesIn(body.error.details))
      }
    } catch {
      // Not JSON (a proxy's error page, say): the status and text below say enough.
    }
    return new ApiError(res.status, `http_${res.status}`, text.slice(0, 200) || res.statusText || `HTTP ${res.status}`)
  }

  /** Any thrown value as an ApiError (a response that was not the JSON it should be, say). */
  static from(failure: unknown): ApiError {
    if (failure instanceof ApiError) return failure
    return new ApiError(0, 'client', failure instanceof Error ? failure.message : String(failure))
  }

  /** The server could not be reached at all. */
  static network(cause: unknown): ApiError {
    return new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
  }
}

function issuesIn(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return []
  return details.flatMap((item: unknown) => {
    const issue = item as { path?: unknown; message?: unknown } | null
    return issue && typeof issue.path === 'string' && typeof issue.message === 'string'
      ? [{ path: issue.path, message: issue.message }]
      : []
  })
}
