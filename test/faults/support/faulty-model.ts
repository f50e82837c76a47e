import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type Response } from 'express'
import { createSimulatorRouter, defaultSimulatorParams, SimulatedReplica, type SimulatorParams } from '@chorus/inference-simulator'

/** What a sick inference replica does with a chat completion; `/v1/models` keeps answering, as a live server's API does. */
export type ModelFault = 'none' | 'hang' | 'error' | 'garbage'

// Garbage of three kinds, in turn: a stream of invalid JSON, a stream that ends without a word or
// a finish reason, and an HTML error page sent with status 200.
const garbage = [
  { type: 'text/event-stream', body: 'data: {"id":"x","choices":[{"delta":{"content":\n\ndata: \u0000\u0007]]\n\n' },
  { type: 'text/event-stream', body: 'data: [DONE]\n\n' },
  { type: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' },
]

/** The question a prompt asks: the tag (`#…`) in its last user message. */
function tagOf(messages: Array<{ role: string; content: unknown }>): string | undefined {
  const last = messages.filter((m) => m.role === 'user').at(-1)
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '')
  return text.match(/#[\w-]+/g)?.at(-1)
}

/**
 * An OpenAI-compatible inference replica (the inference simulator) that a test can make hang,
 * fail or answer garbage, and heal again. Every reply names the question it answers (the `#tag`
 * of the prompt's last user message, after `[simulated]`), so a test can match replies to
 * questions in a transcript.
 */
export class FaultyModel {
  fault: ModelFault = 'none'
  /** Chat completions received, by what was done with them. */
  readonly requests: Record<ModelFault, number> = { none: 0, hang: 0, error: 0, garbage: 0 }
  private readonly hung = new Set<Response>()

  private constructor(
    private readonly server: Server,
    readonly replica: SimulatedReplica,
  ) {}

  static async start(params: Partial<SimulatorParams> = {}): Promise<FaultyModel> {
    const replica = new SimulatedReplica({ ...defaultSimulatorParams, ...params })
    const generate = replica.generate.bind(replica)
    replica.generate = (messages, maxTokens, onToken, signal) => {
      const tag = tagOf(messages)
      let first = true
      return generate(
        messages,
        maxTokens,
        (text) => {
          onToken(first && tag ? `${text}${tag} ` : text)
          first = false
        },
        signal,
      )
    }
    const app = express()
    const server = createServer(app)
    const model = new FaultyModel(server, replica)
    app.post('/v1/chat/completions', (_req, res, next) => model.intercept(res, next))
    app.use(createSimulatorRouter(replica))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return model
  }

  /** The OpenAI base URL (`…/v1`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private intercept(res: Response, next: () => void): void {
    const fault = this.fault
    const count = ++this.requests[fault]
    if (fault === 'none') return next()
    if (fault === 'hang') {
      // Accepts the request and never answers; the client's timeout ends it.
      this.hung.add(res)
      res.on('close', () => this.hung.delete(res))
      return
    }
    if (fault === 'error') {
      res.status(500).json({ error: { message: 'simulated replica failure', type: 'server_error', code: null, param: null } })
      return
    }
    const { type, body } = garbage[count % garbage.length]!
    res.writeHead(200, { 'content-type': type })
    res.end(body)
  }
}
