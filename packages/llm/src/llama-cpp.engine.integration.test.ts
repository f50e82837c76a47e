import { basename } from 'node:path'
import { EngineError, type GenerateChunk, type GenerateRequest } from './engine.js'
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
