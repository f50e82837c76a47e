import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { ErrorBody } from '@chorus/protocol'
import { HttpError, RateLimited } from './http-errors.js'

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } }
}

/** Unknown routes answer in the contract's error shape too. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(body('not_found', `no route for ${req.method} ${req.path}`))
}

/** Maps every error to the contract's `{"error": {"code","message"}}` body, logging server faults once. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.end()
      return
    }
    if (error instanceof HttpError) {
      if (error instanceof RateLimited) res.setHeader('retry-after', String(error.retryAfterSeconds))
      res.status(error.status).json(body(error.code, error.message, error.details))
      return
    }
    // body-parser's errors: malformed JSON, too large, wrong charset.
    const status = (error as { status?: number }).status
    const type = (error as { type?: string }).type
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = type === 'entity.too.large' ? 'payload_too_large' : type === 'entity.parse.failed' ? 'invalid_json' : 'bad_request'
      const message = type === 'entity.parse.failed' ? 'the request body is not valid JSON' : (error as Error).message
      res.status(status).json(body(code, message))
      return
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed')
    res.status(500).json(body('internal', 'something went wrong on our side'))
  }
}
