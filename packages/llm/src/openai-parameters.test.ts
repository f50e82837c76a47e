import { chatCompletionRequest } from '@chorus/protocol'
import { RequestRefused } from './engine.js'
import { refuseNonTextMessages, refuseUnhonoured, stopSequences } from './openai-parameters.js'

const v1 = (params: Record<string, unknown>) =>
  chatCompletionRequest.parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...params })
const refusedParam = (run: () => void) => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(RequestRefused)
    return (error as RequestRefused).param
  }
  return undefined
}

describe('refusing the /v1 parameters an engine cannot honour', () => {
  const honours = new Set(['stop'])

  it('lets through what asks for nothing: one choice, no log probabilities, text, no tools, and what the API answers for', () => {
    const request = v1({
      n: 1,
      logprobs: false,
      response_format: { type: 'text' },
      tool_choice: 'auto',
      parallel_tool_calls: true,
      tools: [],
      temperature: null,
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 9,
      user: 'u',
      stop: 'x',
    })
    expect(refusedParam(() => refuseUnhonoured(request, 'test', honours))).toBeUndefined()
  })

  it.each([
    ['n', { n: 2 }],
    ['temperature', { temperature: 0.2 }],
    ['tool_choice', { tool_choice: 'required' }],
    ['top_k', { top_k: 4 }],
    ['response_format', { response_format: { type: 'json_object' } }],
  ])('names %s', (param, params) => {
    expect(refusedParam(() => refuseUnhonoured(v1(params), 'test', honours))).toBe(param)
  })

  it('names the message a text engine cannot read', () => {
    const call = { id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }
    expect(
      refusedParam(() => refuseNonTextMessages(v1({ messages: [{ role: 'assistant', content: null, tool_calls: [call] }] }), 't')),
    ).toBe('messages.0')
    const audio = { type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }
    const withAudio = v1({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, audio] }] })
    expect(refusedParam(() => refuseNonTextMessages(withAudio, 't', { images: true }))).toBe('messages.0.content.1')
  })

  it('lets tool calls and results through to an engine that calls tools, still naming a part it cannot read', () => {
    const call = { id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }
    const messages = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'c', content: 'done' },
    ]
    expect(refusedParam(() => refuseNonTextMessages(v1({ messages }), 't', { toolCalls: true }))).toBeUndefined()
    const audio = { type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }
    const withAudio = v1({ messages: [...messages, { role: 'user', content: [audio] }] })
    expect(refusedParam(() => refuseNonTextMessages(withAudio, 't', { toolCalls: true }))).toBe('messages.3.content.0')
  })

  it('reads stop as a list, without empty sequences', () => {
    expect(stopSequences(v1({ stop: 'END' }))).toEqual(['END'])
    expect(stopSequences(v1({ stop: ['a', ''] }))).toEqual(['a'])
    expect(stopSequences(undefined)).toEqual([])
  })
})
