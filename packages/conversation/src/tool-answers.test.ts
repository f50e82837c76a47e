import type { Engine } from '@chorus/llm'
import { Toolset } from '@chorus/tools'
import { isYes, pendingConfirmation, toolAnswer, type ToolSource } from './tool-answers.js'

const pendingTool = { id: 'call_1', tool: 'cancel_order', server: 'travel', arguments: '{"order_id":"A1024"}' }
const now = 1_000_000_000

describe('a confirmation the bot asked for', () => {
  it.each(['是', '是的', '好的！', ' yes ', 'OK', '确认。'])('takes %j as yes', (text) => expect(isYes(text)).toBe(true))
  it.each(['否', '不用了', 'yes but later', '是不是', ''])('takes %j as no', (text) => expect(isYes(text)).toBe(false))

  const asked = [
    { id: '1', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 3000 },
    { id: '2', role: 'assistant', author: null, pendingTool, at: now - 2000 },
  ]

  it('is the call the bot’s last reply asked about, answered next by whoever asked', () => {
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 1000 }], now)).toEqual({
      call: pendingTool,
      askedId: '2',
    })
  })

  it('is nothing when another member answers, even one of the same name, or when it is stale', () => {
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Eve', authorId: 'u-eve', at: now }], now)).toBeNull()
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan-2', at: now }], now)).toBeNull()
    expect(
      pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now }], now + 31 * 60_000),
    ).toBeNull()
  })

  it('is nothing when the yes is not the next message: the bot said something since, or the user wrote twice', () => {
    const since = [
      ...asked,
      { id: '4', role: 'assistant', author: null, at: now - 1500 },
      { id: '5', role: 'user', author: 'Dan', authorId: 'u-dan', at: now },
    ]
    expect(pendingConfirmation(since, now)).toBeNull()
    const twice = [
      ...asked,
      { id: '4', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 500 },
      { id: '5', role: 'user', author: 'Dan', authorId: 'u-dan', at: now },
    ]
    expect(pendingConfirmation(twice, now)).toBeNull()
  })

  it('is nothing when whoever asked is no longer in the history', () => {
    expect(pendingConfirmation([asked[1]!, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now }], now)).toBeNull()
  })
})

describe('an answer given through tools', () => {
  it('reaches a reader whole, as stored: not the words a model wrote before its tool calls', async () => {
    let step = 0
    const engine: Engine = {
      kind: 'scripted',
      model: 'scripted',
      toolCalling: true,
      async generate(_request, onChunk) {
        step++
        if (step === 1) {
          onChunk({ text: '我来查一下。' })
          const call = { id: 'c1', type: 'function', function: { name: 'get_order', arguments: '{}' } }
          const choices = [
            { index: 0, message: { role: 'assistant' as const, content: '我来查一下。', tool_calls: [call] }, finish_reason: 'tool_calls' },
          ]
          return { text: '我来查一下。', promptTokens: 1, completionTokens: 1, finishReason: 'tool_calls', choices }
        }
        onChunk({ text: '已出票。' })
        const choices = [{ index: 0, message: { role: 'assistant' as const, content: '已出票。' }, finish_reason: 'stop' }]
        return { text: '已出票。', promptTokens: 1, completionTokens: 1, finishReason: 'stop', choices }
      },
      probe: async () => undefined,
      close: async () => undefined,
    }
    const tool = {
      name: 'get_order',
      description: '',
      parameters: { type: 'object' },
      server: 'travel',
      confirm: false,
      run: async () => ({ text: 'A1024 出票', isError: false }),
    }
    const source: ToolSource = { toolset: async () => null, audit: async () => undefined, settingsOf: async () => null }
    const streamed: string[] = []

    const generate = toolAnswer({
      toolset: new Toolset([tool], { maxSteps: 4, timeoutMs: 1000, maxResultChars: 1000 }),
      source,
      target: { botId: 'b' },
      language: 'zh',
      record: {},
    })
    const result = await generate(engine, { messages: [{ role: 'user', content: 'A1024?' }], maxTokens: 50 }, (chunk) =>
      streamed.push(chunk.text),
    )

    expect(result.text).toBe('已出票。')
    expect(streamed.join('')).toBe('已出票。')
    expect(result.toolCalls).toEqual([expect.objectContaining({ tool: 'get_order', status: 'ok' })])
  })
})
