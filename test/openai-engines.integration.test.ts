import OpenAI, { BadRequestError } from 'openai'
import { pino } from 'pino'
import { parseEnv } from '@chorus/config'
import { KnowledgeAnswerer } from '@chorus/knowledge'
import { LlamaCppEngine, type Engine } from '@chorus/llm'
import { startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { testModelPath } from './support/test-model.js'

const apiKey = 'sk-engines'
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

/** What a /v1 call was refused with (fails the test when it was answered). */
async function refusal(call: Promise<unknown>): Promise<BadRequestError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(BadRequestError)
  return error as BadRequestError
}

/** The whole stack, with one worker driving `engine` (the stack's own worker stays off). */
async function stackWith(engine: () => Promise<Engine>): Promise<{ stack: TestStack; worker: RunningWorker; openai: OpenAI }> {
  const stack = await startTestStack({ worker: false, env: { CHORUS_API_KEYS: apiKey, ...admin } })
  const worker = await startWorker(parseEnv(workerConfigSchema, stack.env), await engine(), pino({ level: 'silent' }), { endpoints: false })
  return { stack, worker, openai: new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey, maxRetries: 0 }) }
}

describe('/v1 answered by the built-in knowledge answerer (no model)', () => {
  let running: Awaited<ReturnType<typeof stackWith>>
  const model = 'chorus-knowledge'

  beforeAll(async () => {
    running = await stackWith(async () => new KnowledgeAnswerer())
  })

  afterAll(async () => {
    await running?.worker.stop()
    await running?.stack.stop()
  })

  const ask = { model, messages: [{ role: 'user' as const, content: 'What are your opening hours?' }] }

  it('respects max_tokens and says "length"', async () => {
    const whole = await running.openai.chat.completions.create(ask)
    expect(whole.usage!.completion_tokens).toBeGreaterThan(5)

    const cut = await running.openai.chat.completions.create({ ...ask, max_tokens: 5 })

    expect(cut.choices[0]!.finish_reason).toBe('length')
    expect(cut.usage!.completion_tokens).toBeLessThanOrEqual(5)
    expect(whole.choices[0]!.message.content!.startsWith(cut.choices[0]!.message.content!)).toBe(true)
  })

  it('respects max_tokens when streaming too', async () => {
    const stream = await running.openai.chat.completions.create({ ...ask, max_tokens: 5, stream: true })
    let text = ''
    let finish: string | null = null
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    expect(finish).toBe('length')
    expect(text.length).toBeGreaterThan(0)
  })

  it('ends the reply before a stop sequence', async () => {
    const whole = (await running.openai.chat.completions.create(ask)).choices[0]!.message.content!
    const stop = whole.slice(10, 14)

    const stopped = await running.openai.chat.completions.create({ ...ask, stop: ['never there', stop] })

    expect(stopped.choices[0]!.message.content).toBe(whole.slice(0, whole.indexOf(stop)))
    expect(stopped.choices[0]!.finish_reason).toBe('stop')
  })

  it.each([
    ['tools', { tools: [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }] }],
    ['response_format', { response_format: { type: 'json_object' as const } }],
    ['temperature', { temperature: 0.7 }],
    ['top_k', { top_k: 5 }],
  ])('answers 400 naming %s, which it cannot honour', async (param, params) => {
    const error = await refusal(running.openai.chat.completions.create({ ...ask, ...(params as object) }))
    expect(error.status).toBe(400)
    expect(error.param).toBe(param)
    expect(error.type).toBe('invalid_request_error')
  })

  it('says a Responses API answer cut at max_output_tokens is incomplete', async () => {
    const response = await running.openai.responses.create({ model, input: 'What are your opening hours?', max_output_tokens: 5 })
    expect(response.status).toBe('incomplete')
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' })
    expect(response.output_text.length).toBeGreaterThan(0)
  })

  it('answers from the knowledge of the deployment’s bot, as the bot would, and says so when it finds nothing', async () => {
    const root = await StaffClient.login(running.stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await root.uploadDemoFaq((await running.stack.database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id)
    const answer = async (content: string) =>
      (await running.openai.chat.completions.create({ model, messages: [{ role: 'user', content }] })).choices[0]!.message.content!

    const refused = await answer('What are your opening hours?')
    // The API rereads a bot's knowledge within 5 s of a change.
    const booking = await waitFor(
      async () => {
        const text = await answer('国庆去要提前几天订？')
        return text !== refused && text
      },
      15_000,
      'an answer from the uploaded FAQ',
    )
    expect(booking).toContain('国庆、春节等节假日名额紧张，建议提前 7 天以上')
    expect(refused).toContain('没有找到答案')
  })

  it('answers 400 before a stream starts when it cannot honour a parameter', async () => {
    const res = await fetch(`${running.stack.api.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true, logprobs: true }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'logprobs', code: 'unsupported_parameter' } })
  })
})

describe('/v1 answered by a local GGUF model (node-llama-cpp)', () => {
  let running: Awaited<ReturnType<typeof stackWith>>
  const model = 'stories260K'

  beforeAll(async () => {
    running = await stackWith(() => LlamaCppEngine.load({ modelPath: testModelPath(), sequences: 1, contextSize: 1024, threads: 1 }))
  })

  afterAll(async () => {
    await running?.worker.stop()
    await running?.stack.stop()
  })

  const ask = { model, messages: [{ role: 'user' as const, content: 'Once upon a time' }], temperature: 0 }

  it('honours max_tokens, stop and seed', async () => {
    const cut = await running.openai.chat.completions.create({ ...ask, max_tokens: 4 })
    expect(cut.choices[0]!.finish_reason).toBe('length')

    const whole = (await running.openai.chat.completions.create({ ...ask, max_tokens: 48 })).choices[0]!.message.content!
    const stop = ` ${whole.trim().split(/\s+/)[3]}`
    const stopped = await running.openai.chat.completions.create({ ...ask, max_tokens: 48, stop })
    expect(stopped.choices[0]!.message.content).toBe(whole.slice(0, whole.indexOf(stop)))
    expect(stopped.choices[0]!.finish_reason).toBe('stop')

    const sampled = { ...ask, temperature: 1.2, top_p: 0.9, seed: 99, max_tokens: 24 }
    const [first, second] = [await running.openai.chat.completions.create(sampled), await running.openai.chat.completions.create(sampled)]
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content)
  })

  it('holds the reply to the JSON schema of response_format', async () => {
    const schema = { type: 'object', properties: { happy: { type: 'boolean' } }, required: ['happy'] }
    const json = await running.openai.chat.completions.create({
      ...ask,
      max_tokens: 96,
      response_format: { type: 'json_schema', json_schema: { name: 'mood', schema } },
    })
    expect(JSON.parse(json.choices[0]!.message.content!)).toEqual({ happy: expect.any(Boolean) })
  })

  it('holds the reply to JSON with response_format json_object (cut or whole, it opens as an object)', async () => {
    const json = await running.openai.chat.completions.create({ ...ask, max_tokens: 24, response_format: { type: 'json_object' } })
    const text = json.choices[0]!.message.content!
    expect(text.trimStart().startsWith('{')).toBe(true)
    if (json.choices[0]!.finish_reason === 'stop') expect(() => JSON.parse(text)).not.toThrow()
  })

  it('answers 400 naming tools, which it does not offer', async () => {
    const error = await refusal(
      running.openai.chat.completions.create({
        ...ask,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      }),
    )
    expect(error.param).toBe('tools')
  })
})
