import type { HttpAnswer } from './transport'

/** A failed call, with the API's error code; `retryAfterSeconds` comes with 429. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }
}

/** The API's error body (`{error: {code, message}}`) as an ApiError. */
export function errorOf(answer: HttpAnswer): ApiError {
  let code = 'http_' + answer.status
  let message = answer.body.slice(0, 200)
  try {
    const body = JSON.parse(answer.body) as { error?: { code?: string; message?: string } }
    code = body.error?.code ?? code
    message = body.error?.message ?? message
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const retryAfter = answer.retryAfter === null ? null : Number(answer.retryAfter)
  return new ApiError(answer.status, code, message, retryAfter !== null && Number.isFinite(retryAfter) ? retryAfter : null)
}
