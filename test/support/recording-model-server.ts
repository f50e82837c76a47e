import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A tool call the stand-in answers with; its arguments are streamed in `pieces`. */
export interface ScriptedToolCall {
  id: string
  name: string
  /** The arguments' JSON text in the pieces it is streamed in (joined when not streaming). */
  pieces: string[]
}

/** What the stand-in answers a request with: text, or tool calls; `n` choices when the request asks. */
export type ScriptedReply =
  | { text: string }
  | { toolCalls: ScriptedToolCall[] }
  /** An OpenAI error answered with `status` (a server refusing a request it finds invalid). */
  | { error: { status: number; message: string; param: string | null } }

/** The chunk choices it streamed for the last request, for a test to compare with what the client got. */
export type StreamedChoice = { index: number; delta: Record<string, unknown>; finish_reason: string | null; logprobs?: unknown }

export interface RecordingModelServer {
  /** The OpenAI base URL (`…/v1`). */
  url: string
  model: string
  /** Every chat-completion body received, oldest first, exactly as sent. */
  bodies: Array<Record<string, unknown>>
  /** The chunks streamed in answer to the last request (each one's choices). */
  streamed: StreamedChoice[][]
  /** How the next requests are answered (default: a short text). */
  reply: (body: Record<string, unknown>) => ScriptedReply
  close(): Promise<void>
}

const logprobsOf = (token: string) => ({
  content: [{ token, logprob: -0.25, bytes: [...Buffer.from(token)], top_logprobs: [] }],
  refusal: null,
})

/**
 * An OpenAI-compatible model server for tests that records every request body it receives and
 * answers as a test scripts it, streamed the way OpenAI streams (tool calls as deltas with
 * `index`, `id`, `function.name`, then `function.arguments` pieces; `finish_reason: "tool_calls"`).
 */
export async function startRecordingModelServer(model = 'recorded-model'): Promise<RecordingModelServer> {
  const stand: Omit<RecordingModelServer, 'url' | 'close'> = {
    model,
    bodies: [],
    streamed: [],
    reply: () => ({ text: 'Hello from the recorder' }),
  }

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 't' }] }))
      return
    }
    const body = JSON.parse(raw) as Record<string, unknown>
    stand.bodies.push(body)
    const reply = stand.reply(body)
    if ('error' in reply) {
      const { status, message, param } = reply.error
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: null } }))
      return
    }
    const n = typeof body.n === 'number' ? body.n : 1
    const withLogprobs = body.logprobs === true
    const meta = { id: 'chatcmpl-rec', created: 1, model }
    if (!body.stream) {
      const choices = Array.from({ length: n }, (_, index) => ({
        index,
        message:
          'text' in reply
            ? { role: 'assistant', content: `${reply.text}${index ? ` #${index}` : ''}` }
            : {
                role: 'assistant',
                content: null,
                tool_calls: reply.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.pieces.join('') },
                })),
              },
        finish_reason: 'text' in reply ? 'stop' : 'tool_calls',
        logprobs: withLogprobs ? logprobsOf('Hello') : null,
      }))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          ...meta,
          object: 'chat.completion',
          choices,
          usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
        }),
      )
      return
    }
    const chunks: StreamedChoice[][] = []
    for (let index = 0; index < n; index++) {
      if ('text' in reply) {
        const words = `${reply.text}${index ? ` #${index}` : ''}`.split(/(?<= )/)
        words.forEach((word, i) =>
          chunks.push([
            {
              index,
              delta: i === 0 ? { role: 'assistant', content: word } : { content: word },
              finish_reason: null,
              ...(withLogprobs ? { logprobs: logprobsOf(word) } : {}),
            },
          ]),
        )
        chunks.push([{ index, delta: {}, finish_reason: 'stop' }])
      } else {
        reply.toolCalls.forEach((call, at) => {
          chunks.push([
            {
              index,
              delta: {
                ...(at === 0 ? { role: 'assistant', content: null } : {}),
                tool_calls: [{ index: at, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
              },
              finish_reason: null,
            },
          ])
          for (const piece of call.pieces)
            chunks.push([{ index, delta: { tool_calls: [{ index: at, function: { arguments: piece } }] }, finish_reason: null }])
        })
        chunks.push([{ index, delta: {}, finish_reason: 'tool_calls' }])
      }
    }
    stand.streamed = chunks
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    for (const choices of chunks) res.write(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices })}\n\n`)
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage)
      res.write(
        `data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } })}\n\n`,
      )
    res.end('data: [DONE]\n\n')
  }

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (piece: string) => (raw += piece))
    req.on('end', () => answer(req, res, raw))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const recorder = stand as RecordingModelServer
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  recorder.close = async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return recorder
}
