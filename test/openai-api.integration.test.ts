import OpenAI from 'openai'
import type { ChatCompletionChunk } from 'openai/resources/chat/completions'
import type { OpenAIErrorBody } from '@chorus/protocol'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

const model = 'chorus-simulator'
const apiKeys = { CHORUS_API_KEYS: 'sk-test-1,sk-test-2' }

function client(stack: TestStack, apiKey = 'sk-test-1'): OpenAI {
  return new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey, maxRetries: 0 })
}

/** A raw request to `/v1`, for what the SDK would not let through. */
function callV1(
  stack: TestStack,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
) {
  return fetch(`${stack.api.url}/v1${path}`, {
    method: init.method ?? 'POST',
    headers: { authorization: 'Bearer sk-test-1', 'content-type': 'application/json', ...init.headers },
    body: init.body,
    signal: init.signal,
  })
}

/** Asserts `res` is an OpenAI error object with this status and these fields. */
async function expectOpenAIError(
  res: Response,
  status: number,
  expected: { type?: string; code?: string | null; param?: string | null },
): Promise<OpenAIErrorBody['error']> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as OpenAIErrorBody
  expect(Object.keys(body)).toEqual(['error'])
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
  expect(body.error.message).toEqual(expect.any(String))
  expect(body.error.message.length).toBeGreaterThan(0)
  expect(body.error.type).toEqual(expect.any(String))
  expect(body.error).toMatchObject(expected)
  return body.error
}

/** Reads a server-sent-events body to its end; returns each event's `data` field. */
async function readEvents(res: Response): Promise<string[]> {
  const text = await res.text()
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
}

describe('the OpenAI-compatible /v1 API', () => {
  let stack: TestStack

  beforeAll(async () => {
    stack = await startTestStack({ env: apiKeys })
  })

  afterAll(async () => {
    await stack?.stop()
  })

  /**
   * Runs a request that must be refused before it reaches the pool. A request let through by
   * mistake would be queued ahead of the good one sent next, so once that one is answered the
   * simulator would have seen both.
   */
  async function expectNoInference(refused: () => Promise<void>): Promise<void> {
    const before = stack.simulator.replica.stats.requests
    await refused()
    const answered = await client(stack).chat.completions.create({ model, messages: [{ role: 'user', content: 'still there?' }] })
    expect(answered.choices[0]?.message.content).toMatch(/^\[simulated\]/)
    expect(stack.simulator.replica.stats.requests).toBe(before + 1)
  }

  describe('answering with the official OpenAI client', () => {
    it('answers a chat completion with the simulated reply, a finish reason and token usage', async () => {
      const before = stack.simulator.replica.stats.requests

      const completion = await client(stack).chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello there' }] })

      expect(completion.object).toBe('chat.completion')
      expect(completion.id).toMatch(/^chatcmpl-/)
      expect(completion.model).toBe(model)
      expect(completion.choices).toHaveLength(1)
      const [choice] = completion.choices
      expect(choice!.message.role).toBe('assistant')
      expect(choice!.message.content).toMatch(/^\[simulated\] \S/)
      expect(choice!.finish_reason).toBe('stop')
      expect(completion.usage!.prompt_tokens).toBeGreaterThan(0)
      expect(completion.usage!.completion_tokens).toBeGreaterThan(0)
      expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens)
      expect(stack.simulator.replica.stats.requests).toBe(before + 1)
    })

    it('stops at max_tokens and says so with finish_reason "length"', async () => {
      const completion = await client(stack).chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Tell me everything' }],
        max_tokens: 3,
      })

      expect(completion.choices[0]!.finish_reason).toBe('length')
      expect(completion.usage!.completion_tokens).toBe(3)
    })

    it('streams a reply in several chunks that add up to the simulated reply, and the stream ends', async () => {
      const messages = [{ role: 'user' as const, content: 'Stream to me' }]
      const whole = await client(stack).chat.completions.create({ model, messages })

      const stream = await client(stack).chat.completions.create({ model, messages, stream: true })
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) chunks.push(chunk)

      const pieces = chunks.map((c) => c.choices[0]?.delta.content).filter((t): t is string => Boolean(t))
      expect(pieces.length).toBeGreaterThanOrEqual(2)
      const text = pieces.join('')
      expect(text).toMatch(/^\[simulated\] \S/)
      expect(text).toBe(whole.choices[0]!.message.content)
      expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === model)).toBe(true)
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
      expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop')
      expect(chunks.some((c) => c.usage)).toBe(false)
    })

    it('ends a stream with a usage chunk when stream_options.include_usage is set', async () => {
      const stream = await client(stack).chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Stream with usage' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) chunks.push(chunk)

      const pieces = chunks.map((c) => c.choices[0]?.delta.content).filter((t): t is string => Boolean(t))
      expect(pieces.length).toBeGreaterThanOrEqual(2)
      expect(pieces.join('')).toMatch(/^\[simulated\] \S/)
      const last = chunks.at(-1)!
      expect(last.choices).toEqual([])
      expect(last.usage!.prompt_tokens).toBeGreaterThan(0)
      expect(last.usage!.completion_tokens).toBe(pieces.join('').trim().split(/\s+/).length)
      expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + last.usage!.completion_tokens)
      expect(chunks.slice(0, -1).some((c) => c.usage)).toBe(false)
    })

    it('sends server-sent events ending in "data: [DONE]"', async () => {
      const res = await callV1(stack, '/chat/completions', {
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'raw stream' }], stream: true }),
      })

      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const events = await readEvents(res)
      expect(events.at(-1)).toBe('[DONE]')
      const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as ChatCompletionChunk)
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/^\[simulated\] \S/)
    })

    it('lists chorus-simulator among the models, for every configured key', async () => {
      for (const apiKey of ['sk-test-1', 'sk-test-2']) {
        const ids: string[] = []
        for await (const served of client(stack, apiKey).models.list()) ids.push(served.id)
        expect(ids).toContain(model)
      }
    })

    it('accepts a developer message, and passes its text to the model', async () => {
      const user = { role: 'user' as const, content: 'Hello' }
      const bare = await client(stack).chat.completions.create({ model, messages: [user] })

      const instructed = await client(stack).chat.completions.create({
        model,
        messages: [{ role: 'developer', content: 'Answer in one short sentence, politely, in English.' }, user],
      })

      expect(instructed.choices[0]!.message.content).toMatch(/^\[simulated\]/)
      expect(instructed.usage!.prompt_tokens).toBeGreaterThan(bare.usage!.prompt_tokens)
    })

    it('accepts content given as an array of text parts, and passes every part to the model', async () => {
      const first = 'The first part of the question, '
      const onePart = await client(stack).chat.completions.create({
        model,
        messages: [{ role: 'user', content: [{ type: 'text', text: first }] }],
      })

      const twoParts = await client(stack).chat.completions.create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: first },
              { type: 'text', text: 'and the second part, which is rather longer than the first.' },
            ],
          },
        ],
      })

      expect(onePart.choices[0]!.message.content).toMatch(/^\[simulated\]/)
      expect(twoParts.choices[0]!.message.content).toMatch(/^\[simulated\]/)
      expect(twoParts.usage!.prompt_tokens).toBeGreaterThan(onePart.usage!.prompt_tokens)
    })
  })

  describe('refusing bad requests in the OpenAI error shape, before they reach the model', () => {
    const hello = JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })

    it('answers 401 missing_api_key without an Authorization header', async () => {
      await expectNoInference(async () => {
        const res = await fetch(`${stack.api.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: hello,
        })
        await expectOpenAIError(res, 401, { type: 'invalid_request_error', code: 'missing_api_key' })
      })
    })

    it('answers 401 missing_api_key to an Authorization header that is not a bearer key', async () => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', { body: hello, headers: { authorization: 'Basic c2stdGVzdC0xOg==' } })
        await expectOpenAIError(res, 401, { type: 'invalid_request_error', code: 'missing_api_key' })
      })
    })

    it('answers 401 invalid_api_key to a wrong key', async () => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', { body: hello, headers: { authorization: 'Bearer sk-test-3' } })
        await expectOpenAIError(res, 401, { type: 'invalid_request_error', code: 'invalid_api_key' })
      })
    })

    it('makes the OpenAI client throw AuthenticationError for a wrong key', async () => {
      await expectNoInference(async () => {
        const error = await client(stack, 'sk-wrong')
          .chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })
          .catch((caught: unknown) => caught)
        expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
        expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' })
      })
    })

    it('refuses a wrong key on /v1/models too', async () => {
      const error = await client(stack, 'sk-wrong')
        .models.list()
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    })

    it.each([
      ['without messages', { model }, 'messages'],
      ['with an empty messages array', { model, messages: [] }, 'messages'],
      ['with a message of role "robot"', { model, messages: [{ role: 'robot', content: 'beep' }] }, 'messages.0.role'],
      ['with a message whose content is a number', { model, messages: [{ role: 'user', content: 42 }] }, 'messages.0.content'],
      ['without a model', { messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    ])('answers 400 invalid_request_error to a request %s', async (_case, body, param) => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', { body: JSON.stringify(body) })
        await expectOpenAIError(res, 400, { type: 'invalid_request_error', param })
      })
    })

    it('answers 400 invalid_request_error to a body that is not JSON', async () => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', { body: '{"model": "chorus-simulator", "messages": [' })
        await expectOpenAIError(res, 400, { type: 'invalid_request_error' })
      })
    })

    it('answers 400 invalid_request_error to a body that is not sent as JSON', async () => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', { body: 'hello', headers: { 'content-type': 'text/plain' } })
        await expectOpenAIError(res, 400, { type: 'invalid_request_error' })
      })
    })

    it('answers 404 model_not_found to a model nobody serves', async () => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', {
          body: JSON.stringify({ model: 'gpt-imaginary', messages: [{ role: 'user', content: 'hi' }] }),
        })
        await expectOpenAIError(res, 404, { type: 'invalid_request_error', code: 'model_not_found', param: 'model' })
      })
    })

    it('makes the OpenAI client throw NotFoundError for a model nobody serves', async () => {
      const error = await client(stack)
        .chat.completions.create({ model: 'gpt-imaginary', messages: [{ role: 'user', content: 'hi' }] })
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect(error).toMatchObject({ code: 'model_not_found' })
    })

    it.each([['max_tokens'], ['max_completion_tokens']])('answers 400 with param max_tokens to an absurd %s', async (field) => {
      await expectNoInference(async () => {
        const res = await callV1(stack, '/chat/completions', {
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], [field]: 10_000_000 }),
        })
        await expectOpenAIError(res, 400, { type: 'invalid_request_error', param: 'max_tokens' })
      })
    })

    it('passes n: 2 to the model server, and answers 400 naming n when that server gives one choice only', async () => {
      const res = await callV1(stack, '/chat/completions', {
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], n: 2 }),
      })
      await expectOpenAIError(res, 400, { type: 'invalid_request_error', param: 'n' })
    })

    it.each([
      ['GET', '/foo'],
      ['POST', '/foo'],
      ['GET', '/chat/completions/extra'],
    ])('answers 404 in the OpenAI shape to %s of an unknown /v1 route (%s)', async (method, path) => {
      const res = await callV1(stack, path, { method, body: method === 'POST' ? hello : undefined })
      await expectOpenAIError(res, 404, { type: 'invalid_request_error' })
    })
  })
})

describe('a /v1 client that goes away mid-stream', () => {
  let stack: TestStack
  // 50 tokens 50 ms apart: the whole reply takes about 2.5 s.
  const itlMs = 50
  const replyTokens = 50

  beforeAll(async () => {
    stack = await startTestStack({ env: apiKeys, simulator: { itlMs, replyTokens } })
  })

  afterAll(async () => {
    await stack?.stop()
  })

  it('frees the replica slot long before the reply would have finished, and counts the prompt as cancelled', async () => {
    const replica = stack.simulator.replica
    const abort = new AbortController()
    const res = await callV1(stack, '/chat/completions', {
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Tell me a long story' }], stream: true }),
      signal: abort.signal,
    })
    expect(res.status).toBe(200)

    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    while (!received.includes('"content"')) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`the stream ended before its first chunk: ${received}`)
      received += decoder.decode(value, { stream: true })
    }
    expect(received).toContain('[simulated]')
    expect(replica.inFlight).toBe(1)
    const tokensAtAbort = replica.stats.completionTokens

    const abortedAt = Date.now()
    abort.abort()

    await waitFor(async () => replica.inFlight === 0, (itlMs * replyTokens) / 2, 'the simulator slot to be freed')
    const freedAfterMs = Date.now() - abortedAt
    expect(freedAfterMs).toBeLessThan((itlMs * replyTokens) / 2)
    expect(replica.stats.completionTokens - tokensAtAbort).toBeLessThan(replyTokens / 2)

    // The pool records a cancellation, not a (truncated) answer.
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${stack.api.url}/metrics`)).text()
        return /^chorus_prompts_total\{[^}]*outcome="(cancelled|completed)"/m.test(text) ? text : undefined
      },
      5000,
      'the prompt to be counted in /metrics',
    )
    expect(metrics.split('\n').filter((line) => line.startsWith('chorus_prompts_total{'))).toEqual([
      expect.stringMatching(/outcome="cancelled".* 1$/),
    ])
  })
})
