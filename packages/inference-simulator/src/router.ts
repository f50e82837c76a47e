import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { Router, type NextFunction, type Request, type Response } from 'express'
import { z } from 'zod'
import { defaultSimulatorParams, SimulatedReplica, type SimulatorParams } from './replica.js'

export const simulatorModelName = 'chorus-simulator'

const completionRequest = z.object({
  model: z.string().optional(),
  messages: z
    .array(
      z.object({
        role: z.string(),
        // Null beside tool calls: read as no text.
        content: z
          .union([
            z.string(),
            z.array(z.object({ type: z.string(), text: z.string().optional(), image_url: z.object({ url: z.string() }).optional() })),
          ])
          .nullish()
          .transform((content) => content ?? ''),
      }),
    )
    .min(1),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  // One choice per request, like many small servers: asking for more is refused, not ignored.
  n: z.literal(1, { error: 'n: the simulator answers with one choice only' }).nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
})

function openAIError(res: Response, status: number, message: string, param: string | null = null): void {
  res.status(status).json({ error: { message, type: 'invalid_request_error', code: null, param } })
}

/**
 * An Express router speaking the OpenAI chat-completions protocol (`/v1/models`,
 * `/v1/chat/completions`, streaming or not) on top of a simulated replica.
 */
export function createSimulatorRouter(replica: SimulatedReplica): Router {
  const router = Router()
  router.use(express.json({ limit: '16mb' }))
  router.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: [{ id: simulatorModelName, object: 'model', created: 0, owned_by: 'chorus' }] })
  })
  router.post('/v1/chat/completions', async (req: Request, res: Response) => {
    const parsed = completionRequest.safeParse(req.body)
    if (!parsed.success) {
      const issues = parsed.error.issues
      return openAIError(res, 400, issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues[0]!.path.join('.') || null)
    }
    const body = parsed.data
    const id = `chatcmpl-sim-${randomUUID()}`
    const created = Math.floor(Date.now() / 1000)
    const model = body.model ?? simulatorModelName
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? 1024
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client went away'))
    })
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
      const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`)
      let first = true
      try {
        const result = await replica.generate(
          body.messages,
          maxTokens,
          (text) => {
            send({
              id,
              object: 'chat.completion.chunk',
              created,
              model,
              choices: [{ index: 0, delta: first ? { role: 'assistant', content: text } : { content: text }, finish_reason: null }],
            })
            first = false
          },
          abort.signal,
        )
        send({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta: {}, finish_reason: result.finishReason }],
        })
        if (body.stream_options?.include_usage) {
          send({
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [],
            usage: {
              prompt_tokens: result.promptTokens,
              completion_tokens: result.completionTokens,
              total_tokens: result.promptTokens + result.completionTokens,
              prompt_tokens_details: { cached_tokens: result.cachedTokens },
            },
          })
        }
        res.end('data: [DONE]\n\n')
      } catch {
        res.end()
      }
      return
    }
    try {
      let text = ''
      const result = await replica.generate(body.messages, maxTokens, (t) => (text += t), abort.signal)
      res.json({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: result.finishReason }],
        usage: {
          prompt_tokens: result.promptTokens,
          completion_tokens: result.completionTokens,
          total_tokens: result.promptTokens + result.completionTokens,
          prompt_tokens_details: { cached_tokens: result.cachedTokens },
        },
      })
    } catch {
      if (!res.headersSent) openAIError(res, 499, 'request cancelled')
    }
  })
  // Malformed JSON gets the OpenAI error shape too, not an HTML page.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    const status = (error as { status?: number }).status ?? 500
    openAIError(res, status, status === 400 ? 'the request body is not valid JSON' : 'simulator error')
  })
  return router
}

export interface RunningSimulator {
  url: string
  replica: SimulatedReplica
  close(): Promise<void>
}

/** Starts a standalone simulator on loopback; its OpenAI base URL is `${url}/v1`. */
export async function startSimulatorServer(params?: Partial<SimulatorParams>, port = 0): Promise<RunningSimulator> {
  const replica = new SimulatedReplica({ ...defaultSimulatorParams, ...params })
  const app = express()
  app.use(createSimulatorRouter(replica))
  const server: Server = createServer(app)
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}`,
    replica,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
