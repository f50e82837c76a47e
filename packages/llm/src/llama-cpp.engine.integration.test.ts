import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chatCompletionRequest } from '@chorus/protocol'
import { EngineError, RequestRefused, type GenerateChunk, type GenerateRequest } from './engine.js'
import { LlamaCppEngine } from './llama-cpp.engine.js'
import { testModelPath } from '../../../test/support/test-model.js'

const modelPath = testModelPath()
// One thread: with two on a two-core machine, one busy neighbour made a 24-token reply take
// anywhere from 10 ms to 12 s (llama.cpp's threads wait on each other); one thread took ~12 ms.
const threads = 1

/** A story opening: stories260K continues it with plain English, no chat template needed. */
function storyRequest(maxTokens: number, signal?: AbortSignal): GenerateRequest {
  return { messages: [{ role: 'user', content: 'Once upon a time' }], maxTokens, signal }
}

/** What a promise rejected with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
}

/** Runs one generation and keeps every streamed chunk. */
async function generateCollecting(engine: LlamaCppEngine, request: GenerateRequest) {
  const chunks: string[] = []
  const result = await engine.generate(request, (chunk: GenerateChunk) => chunks.push(chunk.text))
  return { result, chunks }
}

describe('LlamaCppEngine with a real GGUF model', () => {
  let engine: LlamaCppEngine | undefined

  beforeAll(async () => {
    engine = await LlamaCppEngine.load({ modelPath, sequences: 2, contextSize: 1024, threads })
  })

  afterAll(async () => {
    await engine?.close()
  })

  function loaded(): LlamaCppEngine {
    if (!engine) throw new Error('the engine did not load')
    return engine
  }

  it('names itself after the model file', () => {
    expect(loaded().kind).toBe('llama-cpp')
    expect(loaded().model).toBe(basename(modelPath, '.gguf'))
  })

  it('streams the reply in several chunks that add up to the returned text', async () => {
    const { result, chunks } = await generateCollecting(loaded(), storyRequest(24))

    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.join('')).toBe(result.text)
    expect(result.text.trim()).not.toBe('')
    expect(result.completionTokens).toBeGreaterThan(0)
    expect(result.completionTokens).toBeLessThanOrEqual(24)
    expect(result.promptTokens).toBeGreaterThan(0)
  })

  it('serves two generations at once, one per sequence, and turns a third away as retryable', async () => {
    const first = generateCollecting(loaded(), storyRequest(24))
    const second = generateCollecting(loaded(), storyRequest(24))
    const third = loaded().generate(storyRequest(24), () => undefined)

    await expect(third).rejects.toThrow(EngineError)
    await expect(third).rejects.toMatchObject({ retryable: true })
    for (const { result, chunks } of await Promise.all([first, second])) {
      expect(result.text.trim()).not.toBe('')
      expect(chunks.join('')).toBe(result.text)
    }
  })

  it('hands a finished sequence to the next request at once while the other sequence is still busy', async () => {
    for (let round = 0; round < 3; round++) {
      const first = generateCollecting(loaded(), storyRequest(8))
      const second = generateCollecting(loaded(), storyRequest(24))
      await first
      const next = generateCollecting(loaded(), storyRequest(8))

      for (const { result } of await Promise.all([second, next])) expect(result.text.trim()).not.toBe('')
    }
  })

  it('stops a generation when its signal is aborted, rejecting with the abort reason', async () => {
    const controller = new AbortController()
    const abortAfter = 3
    const maxTokens = 2000
    let chunks = 0

    const generation = loaded().generate(storyRequest(maxTokens, controller.signal), () => {
      chunks++
      if (chunks === abortAfter) controller.abort()
    })

    const error = await rejectionOf(generation)
    expect(controller.signal.aborted).toBe(true)
    expect(error).toBe(controller.signal.reason)
    expect(error).toMatchObject({ name: 'AbortError' })
    expect(chunks).toBeGreaterThanOrEqual(abortAfter)
    expect(chunks).toBeLessThan(abortAfter + 5)
    expect(chunks).toBeLessThan(maxTokens)
  })

  it('frees the aborted sequence so both sequences serve again right away', async () => {
    const controller = new AbortController()
    const aborted = loaded().generate(storyRequest(2000, controller.signal), () => controller.abort())
    expect(await rejectionOf(aborted)).toBe(controller.signal.reason)

    const results = await Promise.all([generateCollecting(loaded(), storyRequest(8)), generateCollecting(loaded(), storyRequest(8))])
    for (const { result } of results) expect(result.text.trim()).not.toBe('')
  })
})

describe('LlamaCppEngine.close', () => {
  it('unloads the model without error, after which probe reports it unloaded', async () => {
    const engine = await LlamaCppEngine.load({ modelPath, sequences: 1, contextSize: 256, threads })
    await expect(engine.probe()).resolves.toBeUndefined()

    await expect(engine.close()).resolves.toBeUndefined()
    await expect(engine.probe()).rejects.toThrow('the local model was unloaded')
  })
})

describe('LlamaCppEngine with the parameters of a /v1 request', () => {
  let engine: LlamaCppEngine | undefined

  beforeAll(async () => {
    engine = await LlamaCppEngine.load({ modelPath, sequences: 1, contextSize: 1024, threads })
  })

  afterAll(async () => {
    await engine?.close()
  })

  /** A generation for a /v1 request with these parameters, greedy unless they say otherwise. */
  function v1(params: Record<string, unknown>, maxTokens = 32) {
    const messages = [{ role: 'user' as const, content: 'Once upon a time' }]
    const openai = chatCompletionRequest.parse({ model: 'stories260K', messages, temperature: 0, ...params })
    return generateCollecting(engine!, { messages, maxTokens, temperature: openai.temperature ?? undefined, openai })
  }

  it('stops before the first stop sequence, and says "stop"', async () => {
    const { result: whole } = await v1({}, 48)
    const words = whole.text.trim().split(/\s+/)
    const stop = ` ${words[Math.min(4, words.length - 1)]}`
    const before = whole.text.slice(0, whole.text.indexOf(stop))

    const { result, chunks } = await v1({ stop: [stop, 'never-seen'] }, 48)

    expect(result.text).toBe(before)
    expect(chunks.join('')).toBe(result.text)
    expect(result.finishReason).toBe('stop')
  })

  it('says "length" when max_tokens cut the reply', async () => {
    const { result } = await v1({}, 5)
    expect(result.finishReason).toBe('length')
    expect(result.completionTokens).toBeLessThanOrEqual(5)
  })

  it('gives the same reply for the same seed when sampling', async () => {
    const sampled = { temperature: 1.5, top_p: 0.95, top_k: 40, seed: 1234, presence_penalty: 0.5, frequency_penalty: 0.5 }
    const first = await v1(sampled)
    const second = await v1(sampled)
    expect(second.result.text).toBe(first.result.text)
  })

  it('holds the reply to JSON with response_format json_schema', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
    const { result } = await v1({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } }, 64)
    expect(JSON.parse(result.text)).toEqual({ ok: expect.any(Boolean) })
  })

  it.each([
    ['tools', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }],
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['guided_json', { guided_json: { type: 'object' } }],
  ])('refuses %s, naming it, rather than ignore it', async (param, params) => {
    const error = await rejectionOf(v1(params))
    expect(error).toBeInstanceOf(RequestRefused)
    expect(error).toMatchObject({ param, retryable: false })
  })

  it('honours logit_bias: a token pushed by +100 is all the reply says, and one banned with -100 never appears', async () => {
    const { result: pushed } = await v1({ logit_bias: { '300': 100 } }, 6)
    const words = pushed.text.trim().split(/\s+/)
    expect(words.length).toBeGreaterThan(1)
    expect(new Set(words).size).toBe(1)

    const { result: banned } = await v1({ logit_bias: { '300': -100 } }, 24)
    expect(banned.text.trim().split(/\s+/)).not.toContain(words[0])
  })

  it('refuses a logit_bias token id outside the vocabulary', async () => {
    await expect(v1({ logit_bias: { '999999': 5 } })).rejects.toMatchObject({ param: 'logit_bias', retryable: false })
  })

  it('refuses an image part and a tool result, naming the message', async () => {
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }
    await expect(v1({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, image] }] })).rejects.toMatchObject({
      param: 'messages.0.content.1',
    })
    const toolResult = { role: 'tool', tool_call_id: 'c1', content: 'sunny' }
    await expect(v1({ messages: [{ role: 'user', content: 'Hi' }, toolResult] })).rejects.toMatchObject({ param: 'messages.1' })
  })
})

describe('LlamaCppEngine function calling, by what the chat wrapper can do', () => {
  const tinyRandom = fileURLToPath(new URL('../../../../shared/models/llama-2-tiny-random.gguf', import.meta.url))
  const weather = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  }
  const question = { role: 'user' as const, content: 'What is the weather in Paris?' }
  const toolTurn = [
    question,
    {
      role: 'assistant' as const,
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    },
    { role: 'tool' as const, tool_call_id: 'call_1', content: '{"sky":"clear"}' },
  ]

  /** A generation for a /v1 request with these parameters, greedy. */
  function v1(engine: LlamaCppEngine, params: Record<string, unknown>, maxTokens = 24) {
    const openai = chatCompletionRequest.parse({ model: engine.model, messages: [question], temperature: 0, ...params })
    const messages = [{ role: 'user' as const, content: question.content }]
    return generateCollecting(engine, { messages, maxTokens, temperature: 0, openai })
  }

  describe.each([
    ['stories260K', modelPath, 'Llama2Chat'],
    ['llama-2-tiny-random', tinyRandom, 'General'],
  ])('%s, whose file has no chat template', (_name, path, wrapper) => {
    let engine: LlamaCppEngine | undefined

    beforeAll(async () => {
      engine = await LlamaCppEngine.load({ modelPath: path, sequences: 1, contextSize: 512, threads })
    })

    afterAll(async () => {
      await engine?.close()
    })

    it(`gets node-llama-cpp's ${wrapper} chat wrapper, which has no function calling, so the engine says it has no tool calling`, () => {
      expect(engine!.chatWrapperName).toBe(wrapper)
      expect(engine!.toolCalling).toBe(false)
    })

    it('refuses tools naming the model and why, and a conversation with tool calls naming the message', async () => {
      const error = await rejectionOf(v1(engine!, { tools: [weather] }))
      expect(error).toBeInstanceOf(RequestRefused)
      expect(error).toMatchObject({ param: 'tools', retryable: false })
      expect((error as Error).message).toContain(engine!.model)
      expect((error as Error).message).toContain("this model's chat template has no function calling")

      await expect(v1(engine!, { messages: toolTurn })).rejects.toMatchObject({ param: 'messages.1' })
    })
  })

  describe("stories260K told to use Llama 3.1's chat wrapper, which calls functions", () => {
    let engine: LlamaCppEngine | undefined

    beforeAll(async () => {
      // Llama 3.1's function-calling system prompt is long in stories260K's byte-sized tokens.
      engine = await LlamaCppEngine.load({ modelPath, sequences: 1, contextSize: 4096, threads, chatWrapper: 'llama3.1' })
    })

    afterAll(async () => {
      await engine?.close()
    })

    it('says it has tool calling', () => {
      expect(engine!.chatWrapperName).toBe('Llama 3.1')
      expect(engine!.toolCalling).toBe(true)
    })

    it('runs a request offering tools to the end, with an OpenAI-shaped choice (random weights: a call or words)', async () => {
      const { result, chunks } = await v1(engine!, { tools: [weather], tool_choice: 'auto' })

      expect(chunks.join('')).toBe(result.text)
      const choice = result.choices![0]!
      expect(choice.message.role).toBe('assistant')
      expect(choice.finish_reason).toBe(result.finishReason)
      const calls = (choice.message as { tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> }).tool_calls
      if (calls) {
        expect(result.finishReason).toBe('tool_calls')
        for (const call of calls) {
          expect(call.id).toMatch(/^call_/)
          expect(call.function.name).toBe('get_weather')
          expect(JSON.parse(call.function.arguments)).toEqual({ city: expect.any(String) })
        }
      } else {
        expect(['stop', 'length']).toContain(result.finishReason)
        expect(choice.message.content).toBe(result.text)
      }
    })

    it('continues a conversation that holds a tool call and its result, with tools offered or not', async () => {
      for (const params of [{ messages: toolTurn, tools: [weather] }, { messages: toolTurn }]) {
        const { result } = await v1(engine!, params)
        expect(['stop', 'length', 'tool_calls']).toContain(result.finishReason)
        expect(result.completionTokens).toBeGreaterThan(0)
      }
    })

    it('refuses tool_choice "required" and a named function, which it cannot force', async () => {
      for (const choice of ['required', { type: 'function', function: { name: 'get_weather' } }]) {
        await expect(v1(engine!, { tools: [weather], tool_choice: choice })).rejects.toMatchObject({ param: 'tool_choice' })
      }
    })

    it('refuses tools whose parameters its grammar cannot hold, and tools beside a JSON response_format', async () => {
      const bounded = {
        type: 'function',
        function: { name: 'f', parameters: { type: 'object', properties: { n: { type: 'number', minimum: 1 } } } },
      }
      await expect(v1(engine!, { tools: [bounded] })).rejects.toMatchObject({ param: 'tools' })
      await expect(v1(engine!, { tools: [weather], response_format: { type: 'json_object' } })).rejects.toMatchObject({
        param: 'response_format',
      })
    })

    it('offers no function for tool_choice "none" and answers in words', async () => {
      const { result } = await v1(engine!, { tools: [weather], tool_choice: 'none' })
      expect(['stop', 'length']).toContain(result.finishReason)
      expect(result.choices).toBeUndefined()
    })
  })
})
