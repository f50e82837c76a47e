/** Typed errors a route may throw; the error middleware maps each to its status, once. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export class BadRequest extends HttpError {
  constructor(message: string, details?: unknown) {
    super(400, 'bad_request', message, details)
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'sign in first', code = 'unauthorized') {
    super(401, code, message)
  }
}

export class NotFound extends HttpError {
  constructor(message = 'not found') {
    super(404, 'not_found', message)
  }
}

export class Forbidden extends HttpError {
  constructor(message = 'forbidden') {
    super(403, 'forbidden', message)
  }
}

export class Conflict extends HttpError {
  constructor(message: string) {
    super(409, 'conflict', message)
  }
}

export class RateLimited extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message)
  }
}

export class UpstreamFailed extends HttpError {
  constructor(message: string) {
    super(502, 'upstream_failed', message)
  }
}
