import { randomUUID } from 'node:crypto'
import express, { Router, type NextFunction, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import {
  chatCompletionRequest,
  textOf,
  type ChatCompletionRequest,
  type ChatMessage,
  type ContentPart,
  type PromptJobInput,
} from '@chorus/protocol'
import { PoolBusy, type Dispatcher, type ReplyReader } from '@chorus/pool'
import type { ApiKeys } from './api-keys.js'
import { startEventStream } from '../../http/event-stream.js'
import type { EmbeddingModel } from '@chorus/knowledge'
import { embeddingsRoute } from './embeddings.route.js'
import { knowledgeAnswererModel } from './knowledge-grounding.js'
import { invalidBody, OpenAIError, openAIErrorHandler, refusal } from './openai-errors.js'
import { responsesRoute } from './responses.route.js'

export interface OpenAIRoutesDeps {
  dispatcher: Dispatcher
  replies: ReplyReader
  apiKeys: ApiKeys
  logger: Logger
  /** The largest max_tokens a request may ask for. */
  maxTokensLimit: number
  /** How long a request may wait for its reply. */
  replyTimeoutMs: number
  /** The embedding model `/v1/embeddings` serves, when one is configured. */
  embeddings?: EmbeddingModel
  /** The knowledge the built-in knowledge answerer answers a question from (defaultBotGrounding). */
  grounding?: (question: string) => Promise<PromptJobInput['sources']>
}

const asyncRoute =
  (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next)
  }

/**
 * The request's messages as the rest of the pool reads them (text, and images): a tool call or
 * a tool's result reads as its text; the engine gets the request itself besides.
 */
function toChatMessages(request: ChatCompletionRequest): ChatMessage[] {
  return request.messages.map((m) => {
    const role = m.role === 'developer' ? 'system' : m.role === 'tool' || m.role === 'function' ? 'user' : m.role
    if (!Array.isArray(m.content)) return { role, content: m.content ?? '' }
    const text = m.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('')
    // The schema checked that an image part has its URL.
    const images = m.content.filter((p) => p.type === 'image_url').slice(0, 19) as Array<Extract<ContentPart, { type: 'image_url' }>>
    if (images.length === 0) return { role, content: text }
    return {
      role,
      content: [{ type: 'text' as const, text }, ...images.map((p) => ({ type: p.type, image_url: { url: p.image_url.url } }))],
    }
  })
}

/** The OpenAI-compatible API (`/v1/models`, `/v1/chat/completions`, `/v1/responses`, `/v1/embeddings`) in front of the worker pool. */
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
      const models = [...(await servedModels()), ...(deps.embeddings ? [deps.embeddings.name] : [])]
      res.json({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'chorus' })) })
    }),
  )

  /**
   * Checks a chat completion's limits and model, queues it, and reads its reply; a client that
   * goes away cancels it, freeing the replica's slot.
   */
  const complete = async (request: ChatCompletionRequest, res: Response): Promise<{ jobId: string; events: Events }> => {
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
    const messages = toChatMessages(request)
    // The knowledge answerer has no model to read the question with: it is given what the bot's knowledge says.
    const sources =
      request.model === knowledgeAnswererModel && deps.grounding
        ? await deps.grounding(textOf(messages.findLast((m) => m.role === 'user')?.content ?? ''))
        : undefined
    try {
      await deps.dispatcher.dispatch(jobId, {
        origin: { kind: 'api', apiKeyId: keyId },
        messages,
        ...(sources ? { sources } : {}),
        maxTokens,
        temperature: request.temperature ?? undefined,
        openai: request,
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
    const gone = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) {
        gone.abort()
        void deps.dispatcher.cancel(jobId)
      }
    })
    return { jobId, events: deps.replies.read(jobId, { timeoutMs: deps.replyTimeoutMs, signal: gone.signal }) }
  }

  router.post(
    '/v1/chat/completions',
    asyncRoute(async (req, res) => {
      const parsed = chatCompletionRequest.safeParse(req.body)
      if (!parsed.success) throw invalidBody(parsed.error)
      const request = parsed.data
      const { jobId, events } = await complete(request, res)
      const id = `chatcmpl-${jobId.slice(4)}`
      const created = Math.floor(Date.now() / 1000)
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

  router.post('/v1/responses', asyncRoute(responsesRoute(complete)))
  router.post('/v1/embeddings', asyncRoute(embeddingsRoute(deps.embeddings, deps.logger)))

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
      throw refusal(event) ?? new OpenAIError(502, 'server_error', event.code, 'The model could not answer this request.')
    } else {
      res.json({
        id: meta.id,
        object: 'chat.completion',
        created: meta.created,
        model: meta.model,
        // A server's answer passed through keeps its choices whole (tool calls, log probabilities, n of them).
        choices: event.choices ?? [
          { index: 0, message: { role: 'assistant', content: event.text }, finish_reason: event.finishReason, logprobs: null },
        ],
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
  const write = (choices: object[], usage?: object) =>
    res.write(
      `data: ${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices, ...(usage ? { usage } : {}) })}\n\n`,
    )
  const chunk = (delta: object, finishReason: string | null) => write([{ index: 0, delta, finish_reason: finishReason }])
  // The stream starts with the first event, so that a request the engine refuses still gets its 400.
  let started = false
  const start = () => {
    if (!started) startEventStream(res)
    started = true
  }
  let sent = false
  // The server's own chunks were passed on with choice 0's finish reason (a delta lost in Redis may have held it).
  let finished = false
  for await (const event of events) {
    if (event.type === 'delta') {
      start()
      if (event.chunks) {
        for (const choices of event.chunks) {
          write(choices)
          finished ||= choices.some((choice) => choice.index === 0 && Boolean(choice.finish_reason))
        }
      } else {
        chunk(sent ? { content: event.text } : { role: 'assistant', content: event.text }, null)
      }
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
      const refused = refusal(event)
      if (refused && !started) throw refused
      start()
      if (event.code !== 'cancelled')
        res.write(
          `data: ${JSON.stringify({ error: { message: refused?.message ?? 'The model could not answer this request.', type: refused ? 'invalid_request_error' : 'server_error', param: refused?.param ?? null, code: event.code } })}\n\n`,
        )
      res.end()
      return
    } else {
      start()
      if (!finished) {
        if (!sent) chunk({ role: 'assistant', content: '' }, null)
        chunk({}, event.finishReason)
      }
      if (meta.includeUsage) {
        write([], {
          prompt_tokens: event.promptTokens,
          completion_tokens: event.completionTokens,
          total_tokens: event.promptTokens + event.completionTokens,
        })
      }
      res.end('data: [DONE]\n\n')
      return
    }
  }
  res.end()
}
