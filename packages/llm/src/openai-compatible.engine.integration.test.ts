import { createServer, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EngineError } from './engine.js'
import { OpenAICompatibleEngine } from './openai-compatible.engine.js'

// A real HTTP server on loopback answering chat completions however each test says.
let server: Server
let engine: OpenAICompatibleEngine
let answer: (res: ServerResponse) => void

const chunk = (delta: object, finishReason: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`

function stream(body: string, type = 'text/event-stream') {
  return (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': type })
    res.end(body)
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => answer(res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  engine = new OpenAICompatibleEngine({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'm' })
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const generate = () => engine.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 }, () => undefined)

describe('the OpenAI-compatible engine', () => {
  it('takes a stream that ends its choice with a finish reason as the answer', async () => {
    answer = stream(`${chunk({ role: 'assistant', content: 'Hello' })}${chunk({ content: ' there' })}${chunk({}, 'stop')}data: [DONE]\n\n`)
    await expect(generate()).resolves.toMatchObject({ text: 'Hello there', finishReason: 'stop' })
  })

  it.each([
    ['a bare [DONE]', stream('data: [DONE]\n\n')],
    ['an HTML error page sent with status 200', stream('<html><body>502 Bad Gateway</body></html>', 'text/html')],
    ['a reply cut off mid-stream', stream(chunk({ role: 'assistant', content: 'Hel' }))],
  ])('treats %s as garbage, to be tried on another replica rather than stored', async (_what, reply) => {
    answer = reply
    const failure = await generate().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(EngineError)
    expect((failure as EngineError).retryable).toBe(true)
  })

  it('probes with a one-token completion, so a server whose completions fail is not taken for healthy', async () => {
    answer = (res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"broken"}}')
    await expect(engine.probe()).rejects.toThrow()
    answer = (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'p' }, finish_reason: 'length' }],
        }),
      )
    await expect(engine.probe()).resolves.toBeUndefined()
  })
})
