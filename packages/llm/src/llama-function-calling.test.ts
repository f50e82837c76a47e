import { chatCompletionRequest } from '@chorus/protocol'
import type { ChatWrapperSettings } from 'node-llama-cpp'
import { RequestRefused } from './engine.js'
import {
  callsFunctionsNatively,
  chatHistoryOf,
  choiceOf,
  functionCallingOf,
  toolCallsChunkOf,
  toolCallsOf,
} from './llama-function-calling.js'

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}
const v1 = (params: Record<string, unknown>) =>
  chatCompletionRequest.parse({ model: 'm', messages: [{ role: 'user', content: 'Weather in Paris?' }], ...params })

/** The parameter a call was refused for; fails the test when it was not. */
function refusedParam(run: () => unknown): string | null {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(RequestRefused)
    return (error as RequestRefused).param
  }
  throw new Error('expected a RequestRefused')
}

describe('OpenAI tools as node-llama-cpp functions', () => {
  it('offers each function tool by name, with its description and parameters schema', () => {
    expect(functionCallingOf(v1({ tools: [weather], tool_choice: 'auto' }))).toEqual({
      functions: {
        get_weather: {
          description: 'The weather in a city',
          params: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    })
  })

  it('offers a function without parameters as one that takes none', () => {
    const bare = { type: 'function', function: { name: 'now' } }
    expect(functionCallingOf(v1({ tools: [bare] }))).toEqual({ functions: { now: {} } })
  })

  it('offers nothing for tool_choice "none", or without tools', () => {
    expect(functionCallingOf(v1({ tools: [weather], tool_choice: 'none' }))).toEqual({})
    expect(functionCallingOf(v1({}))).toEqual({})
  })

  it('allows one call at a time when parallel_tool_calls is false', () => {
    expect(functionCallingOf(v1({ tools: [weather], parallel_tool_calls: false }))).toMatchObject({ maxParallelFunctionCalls: 1 })
  })

  it.each([
    ['"required"', 'required'],
    ['a named function', { type: 'function', function: { name: 'get_weather' } }],
  ])('refuses tool_choice %s, which it cannot force, naming tool_choice', (_what, choice) => {
    expect(refusedParam(() => functionCallingOf(v1({ tools: [weather], tool_choice: choice })))).toBe('tool_choice')
  })

  it('refuses, naming tools, a parameters schema its grammar cannot hold, a tool that is not a function, and a name listed twice', () => {
    const bounded = {
      type: 'function',
      function: { name: 'f', parameters: { type: 'object', properties: { n: { type: 'number', maximum: 3 } } } },
    }
    expect(refusedParam(() => functionCallingOf(v1({ tools: [bounded] })))).toBe('tools')
    expect(refusedParam(() => functionCallingOf(v1({ tools: [{ type: 'web_search' }] })))).toBe('tools')
    expect(refusedParam(() => functionCallingOf(v1({ tools: [weather, weather] })))).toBe('tools')
  })
})

describe('OpenAI messages as node-llama-cpp chat history', () => {
  const call = (id: string, city: string) => ({
    id,
    type: 'function',
    function: { name: 'get_weather', arguments: JSON.stringify({ city }) },
  })

  it('turns tool calls into function calls carrying their results, matched by tool_call_id, in one model response', () => {
    const request = v1({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: null, tool_calls: [call('c1', 'Paris'), call('c2', 'Rome')] },
        { role: 'tool', tool_call_id: 'c2', content: 'rain' },
        { role: 'tool', tool_call_id: 'c1', content: '{"sky":"clear"}' },
        { role: 'assistant', content: 'Paris is clear, Rome rainy.' },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
    })
    expect(chatHistoryOf(request.messages)).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Weather in Paris and Rome?' },
      {
        type: 'model',
        response: [
          { type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: { sky: 'clear' }, startsNewChunk: true },
          { type: 'functionCall', name: 'get_weather', params: { city: 'Rome' }, result: 'rain' },
          'Paris is clear, Rome rainy.',
        ],
      },
      { type: 'user', text: 'Thanks' },
    ])
  })

  it('ends with the function results when the model is to answer them', () => {
    const request = v1({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Let me look.', tool_calls: [call('c1', 'Paris')] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    })
    expect(chatHistoryOf(request.messages).at(-1)).toEqual({
      type: 'model',
      response: [
        'Let me look.',
        { type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: 'sunny', startsNewChunk: true },
      ],
    })
  })

  it.each([
    ['a tool call without its result', [{ role: 'assistant', content: null, tool_calls: [call('c1', 'Paris')] }], 'messages.1'],
    ['a result for no earlier call', [{ role: 'tool', tool_call_id: 'c9', content: 'x' }], 'messages.1'],
    [
      'arguments that are not JSON',
      [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{city' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'x' },
      ],
      'messages.1.tool_calls.0.function.arguments',
    ],
    ['the deprecated function role', [{ role: 'function', name: 'f', content: 'x' }], 'messages.1'],
  ])('refuses %s, naming the message', (_what, messages, param) => {
    const request = v1({ messages: [{ role: 'user', content: 'Weather?' }, ...messages] })
    expect(refusedParam(() => chatHistoryOf(request.messages))).toBe(param)
  })
})

describe('node-llama-cpp function calls as OpenAI tool calls', () => {
  const calls = [
    { functionName: 'get_weather', params: { city: 'Paris' } },
    { functionName: 'now', params: undefined },
  ]
  let n = 0
  const ids = () => `call_${++n}`

  beforeEach(() => {
    n = 0
  })

  it('gives each call an id, its name and its params as JSON arguments ({} for none)', () => {
    expect(toolCallsOf(calls, ids)).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } },
    ])
    expect(toolCallsOf(calls)[0]!.id).toMatch(/^call_[0-9a-f]{24}$/)
  })

  it('shapes the choice as OpenAI does: null content beside tool calls, text alone otherwise', () => {
    const toolCalls = toolCallsOf(calls.slice(0, 1), ids)
    expect(choiceOf('', toolCalls, 'tool_calls')).toEqual({
      index: 0,
      message: { role: 'assistant', content: null, tool_calls: toolCalls },
      finish_reason: 'tool_calls',
      logprobs: null,
    })
    expect(choiceOf('Hello', [], 'stop').message).toEqual({ role: 'assistant', content: 'Hello' })
  })

  it('streams the tool calls in one chunk choice, indexed, with the role when no text came first', () => {
    const toolCalls = toolCallsOf(calls, ids)
    expect(toolCallsChunkOf(toolCalls, true)).toEqual({
      index: 0,
      delta: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { index: 0, ...toolCalls[0] },
          { index: 1, ...toolCalls[1] },
        ],
      },
      finish_reason: 'tool_calls',
    })
    expect(toolCallsChunkOf(toolCalls, false).delta).not.toHaveProperty('role')
  })
})

describe('whether a chat wrapper calls functions natively', () => {
  const generic = { call: { prefix: '||call: ' }, result: { prefix: '||result: ' } } as unknown as ChatWrapperSettings['functions']
  const settings = (functions: unknown) => ({ supportsSystemMessages: true, functions }) as unknown as ChatWrapperSettings

  it("says no for node-llama-cpp's generic syntax, the same object or a copy", () => {
    expect(callsFunctionsNatively(settings(generic), generic)).toBe(false)
    expect(callsFunctionsNatively(settings(structuredClone(generic)), generic)).toBe(false)
  })

  it("says yes for a syntax of the model's own", () => {
    expect(
      callsFunctionsNatively(settings({ call: { prefix: '<function=' }, result: { prefix: '<|start_header_id|>ipython' } }), generic),
    ).toBe(true)
  })
})
