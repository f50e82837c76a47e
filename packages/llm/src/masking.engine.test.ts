import { chatCompletionRequest, type ChatCompletionRequest } from '@chorus/protocol'
import { RequestRefused, type Engine, type GenerateChunk, type GenerateRequest } from './engine.js'
import { MaskingEngine } from './masking.engine.js'

/** An engine that answers a passed-through /v1 request by echoing the placeholder it was sent, in two chunks. */
function echoEngine(seen: ChatCompletionRequest[]): Engine {
  return {
    kind: 'echo',
    model: 'echo',
    async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void) {
      seen.push(request.openai!)
      const prompt = String(request.openai!.messages.at(-1)!.content)
      const reply = `We will call ${prompt.slice(prompt.indexOf('['), prompt.indexOf(']') + 1)}`
      for (const piece of [reply.slice(0, 17), reply.slice(17)])
        onChunk({ text: piece, choices: [{ index: 0, delta: { content: piece } }] })
      onChunk({ text: '', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
      const choices = [{ index: 0, message: { role: 'assistant' as const, content: reply }, finish_reason: 'stop' }]
      return { text: reply, promptTokens: 1, completionTokens: 1, finishReason: 'stop', choices }
    },
    probe: async () => undefined,
    close: async () => undefined,
  }
}

const v1 = (params: Record<string, unknown> = {}) =>
  chatCompletionRequest.parse({ model: 'm', messages: [{ role: 'user', content: 'Call me on 13812345678' }], ...params })

describe('a masking engine in front of a /v1 request passed through', () => {
  it('sends the request masked and gives the client the real values back, in the chunks and the choices', async () => {
    const seen: ChatCompletionRequest[] = []
    const chunks: GenerateChunk[] = []
    const openai = v1({ temperature: 0.5, top_k: 3 })

    const result = await new MaskingEngine(echoEngine(seen)).generate(
      { messages: [{ role: 'user', content: 'Call me on 13812345678' }], maxTokens: 10, openai },
      (chunk) => chunks.push(chunk),
    )

    expect(seen[0]!.messages).toEqual([{ role: 'user', content: 'Call me on [PHONE_1]' }])
    expect(seen[0]).toMatchObject({ temperature: 0.5, top_k: 3 })
    const streamed = chunks.flatMap((c) => c.choices ?? []).map((c) => (c.delta as { content?: string } | undefined)?.content ?? '')
    expect(streamed.join('')).toBe('We will call 13812345678')
    expect(chunks.map((c) => c.text).join('')).toBe('We will call 13812345678')
    expect(result.choices![0]!.message.content).toBe('We will call 13812345678')
  })

  it.each([
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }], stream: true }],
    ['n', { n: 3 }],
    ['logprobs', { logprobs: true }],
  ])('refuses %s, whose answers the restorer would not see', async (param, params) => {
    const engine = new MaskingEngine(echoEngine([]))
    const refused = engine.generate({ messages: [], maxTokens: 10, openai: v1(params) }, () => undefined)
    await expect(refused).rejects.toBeInstanceOf(RequestRefused)
    await expect(refused).rejects.toMatchObject({ param })
  })
})

describe('a masking engine in a tool loop', () => {
  it('masks the tool results it sends and gives the tool calls back with the real values', async () => {
    const seen: ChatCompletionRequest[] = []
    const inner: Engine = {
      kind: 'tool-caller',
      model: 'm',
      toolCalling: true,
      async generate(request: GenerateRequest) {
        seen.push(request.openai!)
        const call = { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"phone":"[PHONE_1]"}' } }
        const choices = [
          { index: 0, message: { role: 'assistant' as const, content: null, tool_calls: [call] }, finish_reason: 'tool_calls' },
        ]
        return { text: '', promptTokens: 1, completionTokens: 1, finishReason: 'tool_calls', choices }
      },
      probe: async () => undefined,
      close: async () => undefined,
    }
    const engine = new MaskingEngine(inner)
    const openai = v1({
      tools: [{ type: 'function', function: { name: 'lookup' } }],
      messages: [
        { role: 'user', content: 'My phone is 13812345678' },
        { role: 'tool', tool_call_id: 'call_0', content: 'owner: zhang@example.com' },
      ],
    })

    const result = await engine.generate({ messages: [], maxTokens: 10, openai }, () => undefined)

    expect(engine.toolCalling).toBe(true)
    expect(seen[0]!.messages).toEqual([
      { role: 'user', content: 'My phone is [PHONE_1]' },
      { role: 'tool', tool_call_id: 'call_0', content: 'owner: [EMAIL_1]' },
    ])
    const message = result.choices![0]!.message as { tool_calls?: Array<{ function: { arguments: string } }> }
    expect(message.tool_calls![0]!.function.arguments).toBe('{"phone":"13812345678"}')
  })
})
