import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OpenAIEmbeddings } from '@langchain/openai'
import OpenAI, { BadRequestError, NotFoundError } from 'openai'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { testModelPath } from './support/test-model.js'

const apiKey = 'sk-embeddings'

/** What a call failed with (fails the test when it succeeded). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

describe('/v1/embeddings through the configured embedding endpoint', () => {
  let stack: TestStack
  let endpoint: Server
  const received: Array<{ model: string; input: string[] }> = []
  /** The stand-in's vector for a text: its length, its first character's code, and a constant. */
  const vectorOf = (text: string) => [text.length, text.charCodeAt(0), 0.5]

  beforeAll(async () => {
    endpoint = createServer((req, res) => {
      let raw = ''
      req.on('data', (piece: Buffer) => (raw += piece.toString()))
      req.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] }
        received.push(body)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            object: 'list',
            data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })),
          }),
        )
      })
    })
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`
    stack = await startTestStack({ env: { CHORUS_API_KEYS: apiKey, CHORUS_EMBEDDING_URL: url, CHORUS_EMBEDDING_MODEL: 'bge-m3' } })
  })

  afterAll(async () => {
    await stack?.stop()
    endpoint.closeAllConnections()
    await new Promise<void>((resolve) => endpoint.close(() => resolve()))
  })

  const openai = () => new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey, maxRetries: 0 })
  const post = (body: object) =>
    fetch(`${stack.api.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('embeds with the official client (base64 by default), one vector per input, in order', async () => {
    const texts = ['hello', '酒店几点退房？']

    const result = await openai().embeddings.create({ model: 'bge-m3', input: texts })

    expect(received.at(-1)).toEqual({ model: 'bge-m3', input: texts })
    expect(result.model).toBe('bge-m3')
    expect(result.data.map((d) => [d.index, d.embedding])).toEqual(texts.map((text, i) => [i, vectorOf(text)]))
    expect(result.usage.prompt_tokens).toBeGreaterThan(0)
  })

  it('answers floats when asked, for a single text', async () => {
    const res = await post({ model: 'bge-m3', input: 'hi', encoding_format: 'float' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: vectorOf('hi') }] })
  })

  it('lists the embedding model among the models', async () => {
    const ids: string[] = []
    for await (const model of openai().models.list()) ids.push(model.id)
    expect(ids).toContain('bge-m3')
  })

  it('answers 404 to another model, and 400 naming the parameter to what it cannot do', async () => {
    expect(await failure(openai().embeddings.create({ model: 'text-embedding-3-small', input: 'hi' }))).toBeInstanceOf(NotFoundError)
    const dims = await failure(openai().embeddings.create({ model: 'bge-m3', input: 'hi', dimensions: 2 }))
    expect(dims).toBeInstanceOf(BadRequestError)
    expect((dims as BadRequestError).param).toBe('dimensions')
    for (const [input, param] of [
      [[1, 2, 3], 'input'],
      [['fine', ''], 'input.1'],
    ] as const) {
      const res = await post({ model: 'bge-m3', input })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        error: { type: 'invalid_request_error', param: expect.stringMatching(new RegExp(`^${param}`)) },
      })
    }
  })
})

describe('/v1/embeddings through the local GGUF embedding model', () => {
  let stack: TestStack
  const model = 'stories260K'

  beforeAll(async () => {
    stack = await startTestStack({ env: { CHORUS_API_KEYS: apiKey, CHORUS_EMBEDDING_GGUF: testModelPath() } })
  })

  afterAll(async () => {
    await stack?.stop()
  })

  it('embeds with the official client and LangChain alike, deterministically', async () => {
    const openai = new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey, maxRetries: 0 })
    const result = await openai.embeddings.create({ model, input: ['Once upon a time', 'The boat leaves at eight.'] })

    expect(result.data).toHaveLength(2)
    const [first] = result.data
    expect(first!.embedding.length).toBeGreaterThan(0)
    expect(first!.embedding.every(Number.isFinite)).toBe(true)

    const langchain = new OpenAIEmbeddings({ model, apiKey, configuration: { baseURL: `${stack.api.url}/v1` }, maxRetries: 0 })
    const again = await langchain.embedQuery('Once upon a time')
    expect(again.length).toBe(first!.embedding.length)
    again.forEach((value, i) => expect(value).toBeCloseTo(first!.embedding[i]!, 4))
  })
})
