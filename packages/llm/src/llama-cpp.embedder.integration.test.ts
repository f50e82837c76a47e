import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LlamaCppEmbedder } from './llama-cpp.embedder.js'
import { testModelPath } from '../../../test/support/test-model.js'

// Not an embedding model: its vectors mean nothing, but node-llama-cpp computes them the same way
// (the last token's hidden state, 64 numbers) and they are deterministic.
const modelPath = testModelPath()
// A small context keeps the test fast; one thread, as in the engine's test (two on a busy
// two-core machine made llama.cpp's threads wait on each other).
const contextSize = 128

describe('LlamaCppEmbedder with a real GGUF model', () => {
  let embedder: LlamaCppEmbedder

  beforeAll(() => {
    embedder = new LlamaCppEmbedder({ modelPath, contextSize, threads: 1 })
  })

  afterAll(async () => {
    await embedder?.close()
  })

  it('returns one vector of the same dimension for each text, empty text included', async () => {
    const texts = ['Once upon a time', '酒店几点退房？', 'The boat leaves at eight.', '']

    const vectors = await embedder.embed(texts)

    expect(vectors).toHaveLength(texts.length)
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array)
      expect(vector.length).toBe(vectors[0]!.length)
      expect(vector.every(Number.isFinite)).toBe(true)
    }
    expect(vectors[0]!.length).toBeGreaterThan(1)
    expect(vectors[3]!.every((x) => x === 0)).toBe(true)
  })

  it('gives the same text the same vector, in one call and across calls, and other texts other vectors', async () => {
    const [first, again, other] = await embedder.embed(['Lily saw a big red ball.', 'Lily saw a big red ball.', 'The park was quiet.'])
    const [later] = await embedder.embed(['Lily saw a big red ball.'])

    expect(again).toEqual(first)
    expect(later).toEqual(first)
    expect(other).not.toEqual(first)
  })

  it('cuts a text longer than its context instead of refusing it', async () => {
    // Each word is at least one token: 400 of them do not fit in 128.
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')

    const [whole, sameStart] = await embedder.embed([long, `${long} and a different ending`])

    expect(whole!.length).toBe((await embedder.embed(['short']))[0]!.length)
    expect(sameStart).toEqual(whole)
  })

  it('loads the model only when it first embeds, and says so when that fails', async () => {
    const missing = new LlamaCppEmbedder({ modelPath: join(tmpdir(), 'no-such-model.gguf'), contextSize, threads: 1 })

    await expect(missing.embed(['hello'])).rejects.toThrow(/no-such-model\.gguf/)
    await missing.close()
  })

  it('refuses to embed once closed', async () => {
    const closing = new LlamaCppEmbedder({ modelPath, contextSize, threads: 1 })
    await closing.embed(['warm up'])

    await closing.close()

    await expect(closing.embed(['hello'])).rejects.toThrow('the local embedding model was closed')
  })
})
