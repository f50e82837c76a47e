import { randomUUID } from 'node:crypto'
import OpenAI from 'openai'
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions'
import { simulatorModelName, startSimulatorServer, type RunningSimulator } from './router.js'

let simulator: RunningSimulator
let client: OpenAI

beforeAll(async () => {
  simulator = await startSimulatorServer({ ttftMs: 1, itlMs: 1, replyTokens: 5 })
  client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'not-checked', maxRetries: 0, timeout: 10_000 })
})

afterAll(async () => {
  await simulator.close()
})

const question = [{ role: 'user' as const, content: 'What is a replica?' }]

describe('the simulator OpenAI-compatible router', () => {
  it('answers a chat completion with simulated text and usage', async () => {
    const completion = await client.chat.completions.create({ model: simulatorModelName, messages: question })

    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe(simulatorModelName)
    expect(completion.choices).toHaveLength(1)
    expect(completion.choices[0]?.message.role).toBe('assistant')
    expect(completion.choices[0]?.message.content).toMatch(/^\[simulated\]/)
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    expect(completion.usage?.completion_tokens).toBe(5)
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0)
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + 5)
  })

  it('stops at max_tokens and reports length as the finish reason', async () => {
    const completion = await client.chat.completions.create({ model: simulatorModelName, messages: question, max_tokens: 2 })

    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.usage?.completion_tokens).toBe(2)
  })

  it('prefers max_completion_tokens over max_tokens', async () => {
    const completion = await client.chat.completions.create({
      model: simulatorModelName,
      messages: question,
      max_tokens: 4,
      max_completion_tokens: 1,
    })

    expect(completion.usage?.completion_tokens).toBe(1)
  })

  it('reports cached prompt tokens when a follow-up extends an earlier conversation', async () => {
    const opening = [{ role: 'user' as const, content: `A question only this test asks: ${randomUUID()}` }]
    const first = await client.chat.completions.create({ model: simulatorModelName, messages: opening })

    const followUp = await client.chat.completions.create({
      model: simulatorModelName,
      messages: [...opening, { role: 'assistant', content: 'An answer.' }, { role: 'user', content: 'And then?' }],
    })

    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0)
    expect(followUp.usage?.prompt_tokens_details?.cached_tokens).toBe(first.usage?.prompt_tokens)
  })

  it('streams chunks that add up to the same reply, then a finish reason and usage', async () => {
    const whole = await client.chat.completions.create({ model: simulatorModelName, messages: question })

    const stream = await client.chat.completions.create({
      model: simulatorModelName,
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks: ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)

    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).not.toBe('')
    expect(text).toMatch(/^\[simulated\]/)
    expect(text).toBe(whole.choices[0]?.message.content)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
    const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter((f) => f != null)
    expect(finishes).toEqual(['stop'])
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBe(5)
  })

  it('ends a stream without a usage chunk unless asked for one', async () => {
    const stream = await client.chat.completions.create({ model: simulatorModelName, messages: question, stream: true, max_tokens: 3 })
    const chunks: ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)

    expect(chunks.some((c) => c.usage)).toBe(false)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length')
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(3)
  })

  it('lists the simulator model', async () => {
    const models = await client.models.list()

    expect(models.data.map((m) => m.id)).toContain('chorus-simulator')
  })

  it('rejects a request without messages with HTTP 400', async () => {
    const malformed = { model: simulatorModelName } as unknown as ChatCompletionCreateParamsNonStreaming

    const failure = client.chat.completions.create(malformed)

    await expect(failure).rejects.toBeInstanceOf(OpenAI.APIError)
    await expect(failure).rejects.toMatchObject({ status: 400 })
  })

  it('rejects an empty message list with HTTP 400 naming the field', async () => {
    const failure = client.chat.completions.create({ model: simulatorModelName, messages: [] })

    await expect(failure).rejects.toBeInstanceOf(OpenAI.BadRequestError)
    await expect(failure).rejects.toThrow(/messages/)
  })

  it('leaves no request running or queued once the answers are in', async () => {
    await Promise.all(
      [1, 2, 3].map((i) => client.chat.completions.create({ model: simulatorModelName, messages: [{ role: 'user', content: `q${i}` }] })),
    )

    expect(simulator.replica.inFlight).toBe(0)
    expect(simulator.replica.queued).toBe(0)
  })
})
