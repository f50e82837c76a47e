import type { ErrorRequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import type { OpenAIErrorBody } from '@chorus/protocol'

/** An error in OpenAI's shape and status, so any OpenAI client library understands it. */
export class OpenAIError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

export function sendOpenAIError(res: Response, error: OpenAIError): void {
  if (error.retryAfterSeconds) res.setHeader('retry-after', String(error.retryAfterSeconds))
  const body: OpenAIErrorBody = { error: { message: error.message, type: error.type, param: error.param, code: error.code } }
  res.status(error.status).json(body)
}

/** Maps every error under /v1 to the OpenAI error object. */
export function openAIErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.end()
      return
    }
    if (error instanceof OpenAIError) return sendOpenAIError(res, error)
    const status = (error as { status?: number }).status
    const type = (error as { type?: string }).type
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = type === 'entity.parse.failed' ? 'We could not parse the JSON body of your request.' : (error as Error).message
      return sendOpenAIError(
        res,
        new OpenAIError(status, 'invalid_request_error', type === 'entity.too.large' ? 'payload_too_large' : null, message),
      )
    }
    logger.error({ err: error, path: req.path }, '/v1 request failed')
    sendOpenAIError(res, new OpenAIError(500, 'server_error', null, 'The server had an error while processing your request.'))
  }
}
