import { randomUUID } from 'node:crypto'
import express, { Router, type NextFunction, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import { chatCompletionRequest, type ChatCompletionRequest, type ChatMessage } from '@chorus/protocol'
import { PoolBusy, type Dispatcher, type ReplyReader } from '@chorus/pool'
import type { ApiKeys } from './api-keys.js'
import { startEventStream } from '../../http/event-stream.js'
import { OpenAIError, openAIErrorHandler } from './openai-errors.js'

export interface OpenAIRoutesDeps {
  dispatcher: Dispatcher
  replies: ReplyReader
  apiKeys: ApiKeys
  logger: Logger
  /** The largest max_tokens a request may ask for. */
  maxTokensLimit: number
  /** How long a request may wait for its reply. */
  replyTimeoutMs: number
}

const asyncRoute =
  (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next)
  }

function toChatMessages(request: ChatCompletionRequest): ChatMessage[] {
  return request.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }))
}

/** The OpenAI-compatible API (`/v1/models`, `/v1/chat/completions`) in front of the worker pool. */
export function openAIRoutes(deps: OpenAIRoutesDeps): Router {
  const router = Router()

  // The key is checked before the body is read: without one, nothing is parsed.
  router.use('/v1', async (req, res, next) => {
    const header = req.get('authorization') ?? ''
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!key)
      return next(
        new OpenAIError(401, 'invalid_request_error', 'missing_api_key', 'You did not provide an API key (Authorization: Bearer <key>).'),
      )
    const keyId = await deps.apiKeys.verify(key)
    if (!keyId) return next(new OpenAIError(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'))
    res.locals.apiKeyId = keyId
    next()
  })
  router.use('/v1', express.json({ limit: '2mb' }))

  const servedModels = () => deps.dispatcher.servedModels()

  router.get(
    '/v1/models',
    asyncRoute(async (_req, res) => {
      const models = await servedModels()
      res.json({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'chorus' })) })
    }),
  )

  router.post(
    '/v1/chat/completions',
    asyncRoute(async (req, res) => {
      const parsed = chatCompletionRequest.safeParse(req.body)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        const param = issue.path.join('.') || null
        throw new OpenAIError(400, 'invalid_request_error', 'invalid_value', `Invalid request: ${param ?? 'body'}: ${issue.message}`, param)
      }
      const request = parsed.data
      const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? Math.min(1024, deps.maxTokensLimit)
      if (maxTokens > deps.maxTokensLimit) {
        throw new OpenAIError(
          400,
          'invalid_request_error',
          'invalid_value',
          `max_tokens is too large: at most ${deps.maxTokensLimit}.`,
          'max_tokens',
        )
      }
      const models = await servedModels()
      if (models.length === 0)
        throw new OpenAIError(503, 'server_error', 'no_replica', 'No inference replica is running; try again later.', null, 5)
      if (!models.includes(request.model)) {
        throw new OpenAIError(
          404,
          'invalid_request_error',
          'model_not_found',
          `The model '${request.model}' does not exist. Served: ${models.join(', ')}.`,
          'model',
        )
      }

      const jobId = `api-${randomUUID()}`
      const keyId = String(res.locals.apiKeyId)
      try {
        await deps.dispatcher.dispatch(jobId, {
          origin: { kind: 'api', apiKeyId: keyId },
          messages: toChatMessages(request),
          maxTokens,
          temperature: request.temperature ?? undefined,
          model: request.model,
          enqueuedAt: Date.now(),
          routing: { fairnessKey: `key:${keyId}`, priorityClass: 'api' },
        })
      } catch (error) {
        if (error instanceof PoolBusy) {
          throw new OpenAIError(
            429,
            'rate_limit_error',
            'overloaded',
            `The model is busy; retry in ${error.retryAfterSeconds} s.`,
            null,
            error.retryAfterSeconds,
          )
        }
        throw error
      }

      // A client that goes away cancels its generation, freeing the replica's slot.
      const gone = new AbortController()
      res.on('close', () => {
        if (!res.writableFinished) {
          gone.abort()
          void deps.dispatcher.cancel(jobId)
        }
      })
      const id = `chatcmpl-${jobId.slice(4)}`
      const created = Math.floor(Date.now() / 1000)
      const events = deps.replies.read(jobId, { timeoutMs: deps.replyTimeoutMs, signal: gone.signal })
      if (request.stream)
        await streamCompletion(res, events, {
          id,
          created,
          model: request.model,
          includeUsage: request.stream_options?.include_usage ?? false,
        })
      else await finishCompletion(res, events, { id, created, model: request.model })
    }),
  )

  router.use('/v1', (_req, _res, next) => next(new OpenAIError(404, 'invalid_request_error', 'unknown_url', 'Unknown /v1 route.')))
  router.use('/v1', openAIErrorHandler(deps.logger))
  return router
}

type Events = ReturnType<ReplyReader['read']>

async function finishCompletion(res: Response, events: Events, meta: { id: string; created: number; model: string }): Promise<void> {
  // The final event carries the whole text; deltas (and retries) matter only when streaming.
  for await (const event of events) {
    if (event.type === 'delta' || event.type === 'retry') continue
    if (event.type === 'error') {
      if (event.code === 'cancelled') return
      throw new OpenAIError(502, 'server_error', event.code, 'The model could not answer this request.')
    } else {
      res.json({
        id: meta.id,
        object: 'chat.completion',
        created: meta.created,
        model: meta.model,
        choices: [{ index: 0, message: { role: 'assistant', content: event.text }, finish_reason: event.finishReason, logprobs: null }],
        usage: {
          prompt_tokens: event.promptTokens,
          completion_tokens: event.completionTokens,
          total_tokens: event.promptTokens + event.completionTokens,
        },
      })
      return
    }
  }
}

async function streamCompletion(
  res: Response,
  events: Events,
  meta: { id: string; created: number; model: string; includeUsage: boolean },
): Promise<void> {
  startEventStream(res)
  const chunk = (delta: object, finishReason: string | null) =>
    res.write(
      `data: ${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
    )
  let sent = false
  for await (const event of events) {
    if (event.type === 'delta') {
      chunk(sent ? { content: event.text } : { role: 'assistant', content: event.text }, null)
      sent = true
    } else if (event.type === 'retry') {
      // Text already sent cannot be taken back: a retry after it ends the stream with an error.
      if (sent) {
        res.end(
          `data: ${JSON.stringify({ error: { message: 'The replica failed mid-answer.', type: 'server_error', param: null, code: 'replica_failed' } })}\n\n`,
        )
        return
      }
    } else if (event.type === 'error') {
      if (event.code !== 'cancelled')
        res.write(
          `data: ${JSON.stringify({ error: { message: 'The model could not answer this request.', type: 'server_error', param: null, code: event.code } })}\n\n`,
        )
      res.end()
      return
    } else {
      if (!sent) chunk({ role: 'assistant', content: '' }, null)
      chunk({}, event.finishReason)
      if (meta.includeUsage) {
        res.write(
          `data: ${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [], usage: { prompt_tokens: event.promptTokens, completion_tokens: event.completionTokens, total_tokens: event.promptTokens + event.completionTokens } })}\n\n`,
        )
      }
      res.end('data: [DONE]\n\n')
      return
    }
  }
  res.end()
}
