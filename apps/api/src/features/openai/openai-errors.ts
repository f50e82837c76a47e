import type { ErrorRequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import type { OpenAIErrorBody, ReplyEvent } from '@chorus/protocol'

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

/** A 400 for a body that does not fit its schema, naming the first field that is wrong. */
export function invalidBody(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): OpenAIError {
  const issue = error.issues[0]!
  const param = issue.path.map(String).join('.') || null
  return new OpenAIError(400, 'invalid_request_error', 'invalid_value', `Invalid request: ${param ?? 'body'}: ${issue.message}`, param)
}

/** The 400 for a reply event that is the engine refusing the request (a parameter it cannot honour, a request the server finds invalid). */
export function refusal(event: ReplyEvent): OpenAIError | undefined {
  if (event.type !== 'error' || (event.code !== 'unsupported_parameter' && event.code !== 'invalid_request')) return undefined
  return new OpenAIError(400, 'invalid_request_error', event.code, event.message, event.param ?? null)
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
