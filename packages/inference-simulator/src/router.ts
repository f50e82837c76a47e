import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { Router, type NextFunction, type Request, type Response } from 'express'
import { z } from 'zod'
import { defaultSimulatorParams, SimulatedReplica, type SimulatedMessage, type SimulatorParams } from './replica.js'
import { fitToTokens, forcedToolName, planToolTurn, splitText, type SimulatedToolCall } from './tool-calls.js'

export const simulatorModelName = 'chorus-simulator'

const toolCall = z.object({ id: z.string(), type: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string() }) })

const tool = z.object({
  type: z.string(),
  function: z
    .object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() })
    .optional(),
})

const completionRequest = z
  .object({
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
          tool_calls: z
            .array(toolCall)
            .nullish()
            .transform((calls) => calls ?? undefined),
          tool_call_id: z
            .string()
            .nullish()
            .transform((id) => id ?? undefined),
        }),
      )
      .min(1),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    stream: z.boolean().optional(),
    // One choice per request, like many small servers: asking for more is refused, not ignored.
    n: z.literal(1, { error: 'n: the simulator answers with one choice only' }).nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
    tools: z.array(tool).optional(),
    tool_choice: z.union([z.string(), z.object({ type: z.string(), function: z.object({ name: z.string() }).optional() })]).optional(),
    parallel_tool_calls: z.boolean().nullish(),
  })
  .refine(
    (body) => {
      const forced = forcedToolName(body.tool_choice)
      return forced === undefined || (body.tools ?? []).some((t) => t.function?.name === forced)
    },
    { path: ['tool_choice'], error: 'names a function that is not among tools' },
  )

type CompletionRequest = z.infer<typeof completionRequest>

/** What one chunk of a streamed reply adds: text, or tool calls and their arguments. */
interface Delta {
  content?: string
  tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function: { name?: string; arguments: string } }>
}

interface Reply {
  message: {
    role: 'assistant'
    content: string | null
    tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>
  }
  finishReason: 'stop' | 'length' | 'tool_calls'
  promptTokens: number
  cachedTokens: number
  completionTokens: number
}

// An answer from tool results arrives in a few chunks, like a short ordinary reply.
const answerChunks = 4

/** Produces the reply to a request, handing each delta to `onDelta` as the replica decodes it. */
function respond(replica: SimulatedReplica, body: CompletionRequest, onDelta: (delta: Delta) => void, signal: AbortSignal): Promise<Reply> {
  const turn = planToolTurn(body)
  if (turn?.kind === 'calls') return callTools(replica, body.messages, turn.calls, onDelta, signal)
  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  if (turn?.kind === 'answer') return answerFromResults(replica, body.messages, fitToTokens(turn.text, maxTokens), onDelta, signal)
  return fillerReply(replica, body.messages, maxTokens ?? 1024, onDelta, signal)
}

async function fillerReply(
  replica: SimulatedReplica,
  messages: SimulatedMessage[],
  maxTokens: number,
  onDelta: (delta: Delta) => void,
  signal: AbortSignal,
): Promise<Reply> {
  let text = ''
  const result = await replica.generate(
    messages,
    maxTokens,
    (token) => {
      text += token
      onDelta({ content: token })
    },
    signal,
  )
  return { ...result, message: { role: 'assistant', content: text } }
}

// Streamed the way OpenAI streams tool calls: every call's id and name first, then each call's
// arguments in pieces, so clients that assemble deltas by index are exercised.
async function callTools(
  replica: SimulatedReplica,
  messages: SimulatedMessage[],
  calls: SimulatedToolCall[],
  onDelta: (delta: Delta) => void,
  signal: AbortSignal,
): Promise<Reply> {
  const opening: Delta = {
    tool_calls: calls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } })),
  }
  const argumentDeltas = calls.flatMap((call, index) =>
    splitText(call.arguments, 2).map((piece): Delta => ({ tool_calls: [{ index, function: { arguments: piece } }] })),
  )
  const completionTokens = Math.max(1, argumentDeltas.length)
  const prompt = await replica.play(messages, [opening, ...argumentDeltas], completionTokens, onDelta, signal)
  return {
    ...prompt,
    completionTokens,
    finishReason: 'tool_calls',
    message: {
      role: 'assistant',
      content: null,
      tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    },
  }
}

async function answerFromResults(
  replica: SimulatedReplica,
  messages: SimulatedMessage[],
  answer: ReturnType<typeof fitToTokens>,
  onDelta: (delta: Delta) => void,
  signal: AbortSignal,
): Promise<Reply> {
  const pieces = splitText(answer.text, answerChunks)
  const prompt = await replica.play(messages, pieces, answer.completionTokens, (content) => onDelta({ content }), signal)
  return {
    ...prompt,
    completionTokens: answer.completionTokens,
    finishReason: answer.finishReason,
    message: { role: 'assistant', content: answer.text },
  }
}

function usageOf(reply: Reply) {
  return {
    prompt_tokens: reply.promptTokens,
    completion_tokens: reply.completionTokens,
    total_tokens: reply.promptTokens + reply.completionTokens,
    prompt_tokens_details: { cached_tokens: reply.cachedTokens },
  }
}

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
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client went away'))
    })
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
      const send = (choices: unknown[], usage?: ReturnType<typeof usageOf>) =>
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...(usage && { usage }) })}\n\n`)
      let first = true
      try {
        const reply = await respond(
          replica,
          body,
          (delta) => {
            send([{ index: 0, delta: first ? { role: 'assistant', ...delta } : delta, finish_reason: null }])
            first = false
          },
          abort.signal,
        )
        send([{ index: 0, delta: {}, finish_reason: reply.finishReason }])
        if (body.stream_options?.include_usage) send([], usageOf(reply))
        res.end('data: [DONE]\n\n')
      } catch {
        res.end()
      }
      return
    }
    try {
      const reply = await respond(replica, body, () => undefined, abort.signal)
      res.json({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: reply.message, finish_reason: reply.finishReason }],
        usage: usageOf(reply),
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
