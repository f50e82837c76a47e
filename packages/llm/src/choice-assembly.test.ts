import { ChoiceAssembly } from './choice-assembly.js'

describe('putting streamed choices back together', () => {
  it('joins text, tool-call argument pieces by index, other text fields and log probabilities, per choice', () => {
    const assembly = new ChoiceAssembly()
    assembly.add([
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }],
        },
      },
    ])
    assembly.add([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] } }])
    assembly.add([
      { index: 0, delta: { tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'g', arguments: '{}' } }] } },
    ])
    assembly.add([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }])
    assembly.add([{ index: 1, delta: { content: 'Hel', reasoning_content: 'think' }, logprobs: { content: [{ token: 'Hel' }] } }])
    assembly.add([{ index: 1, delta: { content: 'lo' }, logprobs: { content: [{ token: 'lo' }] } }])
    assembly.add([
      { index: 0, delta: {}, finish_reason: 'tool_calls' },
      { index: 1, delta: {}, finish_reason: 'stop' },
    ])

    expect(assembly.result()).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
            { id: 'c2', type: 'function', function: { name: 'g', arguments: '{}' } },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
      {
        index: 1,
        message: { role: 'assistant', content: 'Hello', reasoning_content: 'think' },
        finish_reason: 'stop',
        logprobs: { content: [{ token: 'Hel' }, { token: 'lo' }], refusal: null },
      },
    ])
  })
})
