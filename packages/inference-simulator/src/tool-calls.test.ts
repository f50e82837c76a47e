import type { SimulatedMessage } from './replica.js'
import {
  answerFromToolResults,
  fitToTokens,
  planToolTurn,
  splitText,
  toolArguments,
  toolCallId,
  type SimulatedTool,
  type SimulatedToolRequest,
} from './tool-calls.js'

function functionTool(name: string, description = '', parameters?: Record<string, unknown>): SimulatedTool {
  return { type: 'function', function: { name, description, parameters } }
}

const orderStatus = functionTool('get_order_status', 'Looks up an order. 「订单」「order status」', {
  type: 'object',
  properties: { order_id: { type: 'string' } },
  required: ['order_id'],
})
const weather = functionTool('get_weather', 'The weather in a city. 「天气」', {
  type: 'object',
  properties: { city: { type: 'string' } },
})
const refund = functionTool('refund', '', { type: 'object', properties: { amount: { type: 'number' } } })
const tools = [orderStatus, weather, refund]

function asking(text: string, request: Partial<SimulatedToolRequest> = {}): SimulatedToolRequest {
  return { messages: [{ role: 'user', content: text }], tools, ...request }
}

function calledNames(request: SimulatedToolRequest): string[] {
  const turn = planToolTurn(request)
  return turn?.kind === 'calls' ? turn.calls.map((call) => call.name) : []
}

describe('planToolTurn', () => {
  describe('choosing tools', () => {
    it('calls the tool whose name the user writes', () => {
      expect(calledNames(asking('Please run GET_WEATHER for Paris'))).toEqual(['get_weather'])
    })

    it('reads a space in the user text as an underscore in the name', () => {
      expect(calledNames(asking('what does get order status say?'))).toEqual(['get_order_status'])
    })

    it('calls the tool whose description quotes a term the user writes', () => {
      expect(calledNames(asking('我的订单 A1024 到哪了？'))).toEqual(['get_order_status'])
      expect(calledNames(asking('Order Status of A1024?'))).toEqual(['get_order_status'])
    })

    it('calls every matching tool in the order of the request when parallel calls are allowed', () => {
      expect(calledNames(asking('天气 and refund and 订单'))).toEqual(['get_order_status', 'get_weather', 'refund'])
    })

    it('calls at most three tools at once', () => {
      const many = ['one', 'two', 'three', 'four'].map((name) => functionTool(`tool_${name}`))

      expect(calledNames(asking('tool_one tool_two tool_three tool_four', { tools: many }))).toEqual(['tool_one', 'tool_two', 'tool_three'])
    })

    it('calls only the first matching tool when parallel_tool_calls is false', () => {
      expect(calledNames(asking('天气 and refund', { parallel_tool_calls: false }))).toEqual(['get_weather'])
    })

    it('calls the forced tool even when the user names another', () => {
      const forced = { type: 'function', function: { name: 'refund' } }

      expect(calledNames(asking('天气', { tool_choice: forced }))).toEqual(['refund'])
    })

    it('calls the first tool when tool_choice is required and none matches', () => {
      expect(calledNames(asking('hello', { tool_choice: 'required' }))).toEqual(['get_order_status'])
    })

    it('gives the ordinary reply when no tool matches', () => {
      expect(planToolTurn(asking('hello there'))).toBeUndefined()
    })

    it('gives the ordinary reply when tool_choice is none', () => {
      expect(planToolTurn(asking('天气', { tool_choice: 'none' }))).toBeUndefined()
      expect(planToolTurn(asking('天气', { tool_choice: 'none', messages: afterResults('{"temp": 21}') }))).toBeUndefined()
    })

    it('gives the ordinary reply without function tools', () => {
      expect(planToolTurn(asking('天气', { tools: [] }))).toBeUndefined()
      expect(planToolTurn(asking('天气', { tools: [{ type: 'custom' }] }))).toBeUndefined()
    })

    it('gives the ordinary reply when the last message is neither a user message nor a tool result', () => {
      const messages: SimulatedMessage[] = [
        { role: 'user', content: '天气' },
        { role: 'assistant', content: 'Sunny.' },
      ]

      expect(planToolTurn(asking('', { messages }))).toBeUndefined()
    })

    it('reads the text parts of a user message', () => {
      const messages: SimulatedMessage[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: '天气 in ' },
            { type: 'text', text: 'Rome' },
          ],
        },
      ]

      expect(calledNames(asking('', { messages }))).toEqual(['get_weather'])
    })
  })

  describe('the calls', () => {
    it('gives each call a deterministic id from the conversation and its index', () => {
      const request = asking('天气 and refund')

      const turn = planToolTurn(request)

      expect(turn).toEqual(planToolTurn(asking('天气 and refund')))
      expect(turn?.kind === 'calls' && turn.calls.map((call) => call.id)).toEqual([
        toolCallId(request.messages, 0),
        toolCallId(request.messages, 1),
      ])
      expect(toolCallId(request.messages, 1)).toMatch(/^call_[0-9a-f]{12}_1$/)
      expect(toolCallId([{ role: 'user', content: 'other' }], 1)).not.toBe(toolCallId(request.messages, 1))
    })

    it('fills the arguments from the user text', () => {
      const turn = planToolTurn(asking('订单 A1024 please'))

      expect(turn).toMatchObject({ kind: 'calls', calls: [{ name: 'get_order_status', arguments: '{"order_id":"A1024"}' }] })
    })
  })

  describe('after tool results', () => {
    it('answers from the results when the last message is a tool result', () => {
      expect(planToolTurn(asking('', { messages: afterResults('{"temp": 21}') }))).toEqual({
        kind: 'answer',
        text: '[simulated] 根据 get_weather 的结果：{"temp": 21}',
      })
    })

    it('answers from the results even when tool_choice is required', () => {
      expect(planToolTurn(asking('', { messages: afterResults('sunny'), tool_choice: 'required' }))?.kind).toBe('answer')
    })
  })
})

describe('toolArguments', () => {
  const schema = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', properties, required })

  it('takes the first token with a digit for a string', () => {
    expect(toolArguments(schema({ id: { type: 'string' } }), 'order no. A-10_24 and B2')).toBe('{"id":"A-10_24"}')
  })

  it('takes the whole trimmed text for a string when no token has a digit', () => {
    expect(toolArguments(schema({ city: { type: 'string' } }), '  weather in Paris  ')).toBe('{"city":"weather in Paris"}')
  })

  it('takes the first number for a number and an integer, else 0', () => {
    const numbers = schema({ amount: { type: 'number' }, count: { type: 'integer' } })

    expect(toolArguments(numbers, 'refund 12.5 for 3 items')).toBe('{"amount":12.5,"count":12}')
    expect(toolArguments(numbers, 'refund everything')).toBe('{"amount":0,"count":0}')
  })

  it('sets a boolean to true and omits other types', () => {
    expect(toolArguments(schema({ urgent: { type: 'boolean' }, tags: { type: 'array' }, note: {} }), 'x')).toBe('{"urgent":true}')
  })

  it('fills only the required properties, in their order, when the schema lists them', () => {
    const parameters = schema({ a: { type: 'string' }, b: { type: 'boolean' }, c: { type: 'integer' } }, ['c', 'a', 'missing'])

    expect(toolArguments(parameters, 'ticket 42')).toBe('{"c":42,"a":"42"}')
  })

  it('gives an empty object without parameters', () => {
    expect(toolArguments(undefined, 'anything')).toBe('{}')
    expect(toolArguments({ type: 'object' }, 'anything')).toBe('{}')
  })
})

function afterResults(...results: string[]): SimulatedMessage[] {
  const ids = results.map((_, i) => `call_${i}`)
  const names = ['get_weather', 'get_order_status', 'refund']
  return [
    { role: 'user', content: 'weather?' },
    {
      role: 'assistant',
      content: '',
      tool_calls: ids.map((id, i) => ({ id, type: 'function', function: { name: names[i]!, arguments: '{}' } })),
    },
    ...results.map((content, i) => ({ role: 'tool', tool_call_id: ids[i]!, content })),
  ]
}

describe('answerFromToolResults', () => {
  it('names the tool of each result and collapses its whitespace', () => {
    expect(answerFromToolResults(afterResults('sunny,\n  21 °C', '{"status":\t"shipped"}'))).toBe(
      '[simulated] 根据 get_weather 的结果：sunny, 21 °C 根据 get_order_status 的结果：{"status": "shipped"}',
    )
  })

  it('apologises for a result with an error', () => {
    expect(answerFromToolResults(afterResults('{"error": "city not found"}'))).toBe(
      '[simulated] 抱歉，get_weather 没能给出结果：city not found。',
    )
  })

  it('reads a result whose error is not a string as a result', () => {
    expect(answerFromToolResults(afterResults('{"error": 404}'))).toBe('[simulated] 根据 get_weather 的结果：{"error": 404}')
  })

  it('cuts a long result to 300 characters', () => {
    const answer = answerFromToolResults(afterResults('结'.repeat(400)))

    expect(answer).toBe(`[simulated] 根据 get_weather 的结果：${'结'.repeat(300)}`)
  })

  it('reads only the results after the last assistant message', () => {
    const messages: SimulatedMessage[] = [
      ...afterResults('old result'),
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_9', function: { name: 'refund', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_9', content: 'refunded' },
    ]

    expect(answerFromToolResults(messages)).toBe('[simulated] 根据 refund 的结果：refunded')
  })

  it('names a result whose call it cannot find by its call id', () => {
    expect(answerFromToolResults([{ role: 'tool', tool_call_id: 'call_x', content: 'ok' }])).toBe('[simulated] 根据 call_x 的结果：ok')
  })
})

describe('fitToTokens', () => {
  it('keeps a text within max tokens and finishes with stop', () => {
    expect(fitToTokens('12345678', 2)).toEqual({ text: '12345678', completionTokens: 2, finishReason: 'stop' })
    expect(fitToTokens('12345678', undefined)).toEqual({ text: '12345678', completionTokens: 2, finishReason: 'stop' })
  })

  it('cuts a longer text to max tokens and finishes with length', () => {
    expect(fitToTokens('123456789', 2)).toEqual({ text: '12345678', completionTokens: 2, finishReason: 'length' })
  })
})

describe('splitText', () => {
  it('splits into at most the given number of pieces that join back to the text', () => {
    expect(splitText('{"id":"A1"}', 2)).toEqual(['{"id":', '"A1"}'])
    expect(splitText('abcdefghij', 4)).toEqual(['abc', 'def', 'ghi', 'j'])
    expect(splitText('ab', 4)).toEqual(['a', 'b'])
  })
})
