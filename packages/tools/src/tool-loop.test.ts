import type { ChatCompletionRequest } from '@chorus/protocol'
import { RequestRefused, type Engine, type GenerateRequest, type GenerateResult } from '@chorus/llm'
import { runToolLoop } from './tool-loop.js'
import { Toolset, type ToolDefinition } from './toolset.js'

type Turn = { text: string } | { calls: Array<{ name: string; arguments: string }> }

/** An engine that plays `turns` in order and keeps every request it was sent. */
function scriptedEngine(turns: Turn[]): Engine & { requests: ChatCompletionRequest[] } {
  const requests: ChatCompletionRequest[] = []
  return {
    kind: 'scripted',
    model: 'scripted',
    toolCalling: true,
    requests,
    async generate(request: GenerateRequest, onChunk): Promise<GenerateResult> {
      requests.push(structuredClone(request.openai!))
      const turn = turns[requests.length - 1] ?? { text: 'out of script' }
      if ('text' in turn) {
        onChunk({ text: turn.text })
        const choices = [{ index: 0, message: { role: 'assistant' as const, content: turn.text }, finish_reason: 'stop' }]
        return { text: turn.text, promptTokens: 10, completionTokens: 2, finishReason: 'stop', choices }
      }
      const toolCalls = turn.calls.map((call, i) => ({ id: `call_${requests.length}_${i}`, type: 'function', function: call }))
      onChunk({ text: '' })
      const choices = [
        { index: 0, message: { role: 'assistant' as const, content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' },
      ]
      return { text: '', promptTokens: 10, completionTokens: 1, finishReason: 'tool_calls', choices }
    },
    probe: async () => undefined,
    close: async () => undefined,
  }
}

function definition(name: string, answer: string, overrides: Partial<ToolDefinition> = {}): ToolDefinition & { runs: unknown[] } {
  const runs: unknown[] = []
  return {
    name,
    description: `${name} tool`,
    parameters: { type: 'object' },
    server: 'test',
    confirm: false,
    runs,
    run: async (args) => {
      runs.push(args)
      return { text: answer, isError: false }
    },
    ...overrides,
  }
}

const limits = { maxSteps: 4, timeoutMs: 1000, maxResultChars: 1000 }
const request: GenerateRequest = { messages: [{ role: 'user', content: 'Where is my order A1024?' }], maxTokens: 50 }

describe('the tool loop', () => {
  it('runs the calls the model makes and gives it the results, until it answers in words', async () => {
    const order = definition('get_order', 'A1024: shipped')
    const engine = scriptedEngine([{ calls: [{ name: 'get_order', arguments: '{"id":"A1024"}' }] }, { text: 'It has shipped.' }])
    const texts: string[] = []

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([order], limits), onChunk: (c) => texts.push(c.text) })

    expect(loop.result).toMatchObject({ text: 'It has shipped.', promptTokens: 20, completionTokens: 3 })
    expect(loop.calls).toEqual([expect.objectContaining({ tool: 'get_order', status: 'ok', result: 'A1024: shipped' })])
    expect(order.runs).toEqual([{ id: 'A1024' }])
    expect(engine.requests[0]!.tools).toEqual([
      { type: 'function', function: { name: 'get_order', description: 'get_order tool', parameters: { type: 'object' } } },
    ])
    expect(engine.requests[1]!.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'get_order', arguments: '{"id":"A1024"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1_0', content: 'A1024: shipped' },
    ])
    // No text streams from the loop (its caller sends the answer whole); each chunk stops the first-token clock.
    expect(texts.length).toBeGreaterThan(0)
    expect(texts.join('')).toBe('')
  })

  it('runs the calls of one step together and answers each by its id', async () => {
    const order = definition('get_order', 'shipped')
    const weather = definition('get_weather', 'sunny')
    const engine = scriptedEngine([
      {
        calls: [
          { name: 'get_order', arguments: '{}' },
          { name: 'get_weather', arguments: '{}' },
        ],
      },
      { text: 'Shipped, and sunny.' },
    ])

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([order, weather], limits), onChunk: () => undefined })

    expect(loop.calls.map((c) => c.tool)).toEqual(['get_order', 'get_weather'])
    expect(engine.requests[1]!.messages.filter((m) => m.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_1_0', content: 'shipped' },
      { role: 'tool', tool_call_id: 'call_1_1', content: 'sunny' },
    ])
  })

  it('offers no tools at the last step, so a model that keeps calling must answer', async () => {
    const order = definition('get_order', 'shipped')
    const again = { calls: [{ name: 'get_order', arguments: '{}' }] }
    const engine = scriptedEngine([again, again, { text: 'Here is what I found.' }])

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([order], { ...limits, maxSteps: 3 }), onChunk: () => undefined })

    expect(engine.requests.map((r) => r.tools !== undefined)).toEqual([true, true, false])
    expect(order.runs).toHaveLength(2)
    expect(loop.result.text).toBe('Here is what I found.')
  })

  it('stops, unrun, at a call that needs the user’s yes', async () => {
    const cancel = definition('cancel_order', 'cancelled', { confirm: true })
    const engine = scriptedEngine([{ calls: [{ name: 'cancel_order', arguments: '{"id":"A1024"}' }] }])

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([cancel], limits), onChunk: () => undefined })

    expect(cancel.runs).toHaveLength(0)
    expect(loop.pending).toEqual({ id: 'call_1_0', tool: 'cancel_order', server: 'test', arguments: '{"id":"A1024"}' })
    expect(loop.calls).toEqual([expect.objectContaining({ tool: 'cancel_order', status: 'awaiting_confirmation' })])
  })

  it('runs a confirmed call first and lets the model answer from its result', async () => {
    const cancel = definition('cancel_order', 'A1024 cancelled', { confirm: true })
    const engine = scriptedEngine([{ text: 'Done: cancelled.' }])
    const confirmed = { id: 'call_9', tool: 'cancel_order', server: 'test', arguments: '{"id":"A1024"}' }

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([cancel], limits), onChunk: () => undefined, confirmed })

    expect(cancel.runs).toEqual([{ id: 'A1024' }])
    expect(engine.requests[0]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_9', content: 'A1024 cancelled' })
    expect(loop.result.text).toBe('Done: cancelled.')
  })

  it('ends the answer with a tool’s own final reply (a handoff), the model not asked again', async () => {
    const handoff = definition('handoff_to_human', 'handed over', {
      run: async () => ({ text: 'handed over', isError: false, final: 'A person will answer you here.' }),
    })
    const engine = scriptedEngine([{ calls: [{ name: 'handoff_to_human', arguments: '{}' }] }, { text: 'never asked' }])

    const loop = await runToolLoop({ engine, request, toolset: new Toolset([handoff], limits), onChunk: () => undefined })

    expect(loop.final).toBe('A person will answer you here.')
    expect(loop.result.text).toBe('A person will answer you here.')
    expect(engine.requests).toHaveLength(1)
  })

  it('tells each ended call to onCall (the audit log)', async () => {
    const seen: string[] = []
    const engine = scriptedEngine([{ calls: [{ name: 'nope', arguments: '{}' }] }, { text: 'Sorry.' }])

    await runToolLoop({
      engine,
      request,
      toolset: new Toolset([definition('get_order', 'x')], limits),
      onChunk: () => undefined,
      onCall: (c) => void seen.push(`${c.tool}:${c.status}`),
    })

    expect(seen).toEqual(['nope:unknown_tool'])
  })
})

describe('the tool loop on an engine that refuses the tools', () => {
  it('answers without them', async () => {
    const requests: ChatCompletionRequest[] = []
    const engine: Engine = {
      kind: 'local',
      model: 'local',
      toolCalling: true,
      async generate(request: GenerateRequest) {
        requests.push(request.openai!)
        if (request.openai!.tools) throw new RequestRefused('the local model cannot hold this schema', 'tools')
        return { text: 'Plain answer.', promptTokens: 1, completionTokens: 1, finishReason: 'stop' }
      },
      probe: async () => undefined,
      close: async () => undefined,
    }

    const loop = await runToolLoop({
      engine,
      request,
      toolset: new Toolset([definition('get_order', 'x')], limits),
      onChunk: () => undefined,
    })

    expect(loop.result.text).toBe('Plain answer.')
    expect(requests.map((r) => r.tools !== undefined)).toEqual([true, false])
  })
})
