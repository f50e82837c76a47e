import { randomUUID } from 'node:crypto'
import OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'
import { simulatorModelName, startSimulatorServer, type RunningSimulator } from './router.js'

let simulator: RunningSimulator
let client: OpenAI

beforeAll(async () => {
  simulator = await startSimulatorServer({ ttftMs: 1, itlMs: 1, replyTokens: 5 })
  client = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'not-checked', maxRetries: 0, timeout: 10_000 })
})

afterAll(async () => {
  await simulator.close()
})

/** Resolves once `condition` holds; the server notices a client leaving on its own schedule. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const question = [{ role: 'user' as const, content: 'What is a replica?' }]

describe('the simulator OpenAI-compatible router', () => {
  it('answers a chat completion with simulated text and usage', async () => {
    const completion = await client.chat.completions.create({ model: simulatorModelName, messages: question })

    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe(simulatorModelName)
    expect(completion.choices).toHaveLength(1)
    expect(completion.choices[0]?.message.role).toBe('assistant')
    expect(completion.choices[0]?.message.content).toMatch(/^\[simulated\]/)
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    expect(completion.usage?.completion_tokens).toBe(5)
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0)
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + 5)
  })

  it('stops at max_tokens and reports length as the finish reason', async () => {
    const completion = await client.chat.completions.create({ model: simulatorModelName, messages: question, max_tokens: 2 })

    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.usage?.completion_tokens).toBe(2)
  })

  it('prefers max_completion_tokens over max_tokens', async () => {
    const completion = await client.chat.completions.create({
      model: simulatorModelName,
      messages: question,
      max_tokens: 4,
      max_completion_tokens: 1,
    })

    expect(completion.usage?.completion_tokens).toBe(1)
  })

  it('reports cached prompt tokens when a follow-up extends an earlier conversation', async () => {
    const opening = [{ role: 'user' as const, content: `A question only this test asks: ${randomUUID()}` }]
    const first = await client.chat.completions.create({ model: simulatorModelName, messages: opening })

    const followUp = await client.chat.completions.create({
      model: simulatorModelName,
      messages: [...opening, { role: 'assistant', content: 'An answer.' }, { role: 'user', content: 'And then?' }],
    })

    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0)
    expect(followUp.usage?.prompt_tokens_details?.cached_tokens).toBe(first.usage?.prompt_tokens)
  })

  it('streams chunks that add up to the same reply, then a finish reason and usage', async () => {
    const whole = await client.chat.completions.create({ model: simulatorModelName, messages: question })

    const stream = await client.chat.completions.create({
      model: simulatorModelName,
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks: ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)

    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).not.toBe('')
    expect(text).toMatch(/^\[simulated\]/)
    expect(text).toBe(whole.choices[0]?.message.content)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
    const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter((f) => f != null)
    expect(finishes).toEqual(['stop'])
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBe(5)
  })

  it('ends a stream without a usage chunk unless asked for one', async () => {
    const stream = await client.chat.completions.create({ model: simulatorModelName, messages: question, stream: true, max_tokens: 3 })
    const chunks: ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)

    expect(chunks.some((c) => c.usage)).toBe(false)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length')
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(3)
  })

  it('lists the simulator model', async () => {
    const models = await client.models.list()

    expect(models.data.map((m) => m.id)).toContain('chorus-simulator')
  })

  it('rejects a request without messages with HTTP 400', async () => {
    const malformed = { model: simulatorModelName } as unknown as ChatCompletionCreateParamsNonStreaming

    const failure = client.chat.completions.create(malformed)

    await expect(failure).rejects.toBeInstanceOf(OpenAI.APIError)
    await expect(failure).rejects.toMatchObject({ status: 400 })
  })

  it('rejects an empty message list with HTTP 400 naming the field', async () => {
    const failure = client.chat.completions.create({ model: simulatorModelName, messages: [] })

    await expect(failure).rejects.toBeInstanceOf(OpenAI.BadRequestError)
    await expect(failure).rejects.toThrow(/messages/)
  })

  it('leaves no request running or queued once the answers are in', async () => {
    await Promise.all(
      [1, 2, 3].map((i) => client.chat.completions.create({ model: simulatorModelName, messages: [{ role: 'user', content: `q${i}` }] })),
    )

    expect(simulator.replica.inFlight).toBe(0)
    expect(simulator.replica.queued).toBe(0)
  })

  describe('tool calls', () => {
    const orderStatus: ChatCompletionTool = {
      type: 'function',
      function: {
        name: 'get_order_status',
        description: 'Looks up an order. 「订单」「order status」',
        parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      },
    }
    const weather: ChatCompletionTool = {
      type: 'function',
      function: { name: 'get_weather', description: '「天气」', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    }
    const tools = [orderStatus, weather]

    /** The function calls of a reply (the only kind the simulator makes). */
    function functionCalls(message: ChatCompletionMessage | undefined): ChatCompletionMessageFunctionToolCall[] {
      return (message?.tool_calls ?? []).filter((call) => call.type === 'function')
    }

    /** A question only one test asks, so its answers share no cache with other tests. */
    function asking(text: string): ChatCompletionMessageParam[] {
      return [
        { role: 'system', content: `test ${randomUUID()}` },
        { role: 'user', content: text },
      ]
    }

    it('calls the tool the user mentions, with arguments from the question', async () => {
      const completion = await client.chat.completions.create({
        model: simulatorModelName,
        messages: asking('我的订单 A1024 到哪了？'),
        tools,
      })

      const choice = completion.choices[0]!
      expect(choice.finish_reason).toBe('tool_calls')
      expect(choice.message.content).toBeNull()
      expect(choice.message.tool_calls).toEqual([
        {
          id: expect.stringMatching(/^call_[0-9a-f]{12}_0$/),
          type: 'function',
          function: { name: 'get_order_status', arguments: '{"order_id":"A1024"}' },
        },
      ])
      expect(completion.usage?.completion_tokens).toBe(2)
    })

    it('gives the same call ids to the same conversation', async () => {
      const messages = asking('天气 in Paris, and 订单 B7?')

      const [first, second] = await Promise.all(
        [1, 2].map(() => client.chat.completions.create({ model: simulatorModelName, messages, tools })),
      )

      const ids = first!.choices[0]!.message.tool_calls!.map((call) => call.id)
      expect(ids).toHaveLength(2)
      expect(ids[0]).not.toBe(ids[1])
      expect(second!.choices[0]!.message.tool_calls!.map((call) => call.id)).toEqual(ids)
    })

    it('streams tool calls as OpenAI does: ids and names first, then the arguments in pieces', async () => {
      const messages = asking('订单 A1024 and the 天气, please')
      const whole = await client.chat.completions.create({ model: simulatorModelName, messages, tools })

      const stream = await client.chat.completions.create({
        model: simulatorModelName,
        messages,
        tools,
        stream: true,
        stream_options: { include_usage: true },
      })
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) chunks.push(chunk)

      const calls: Array<{ index: number; id?: string; name?: string; arguments: string }> = []
      for (const delta of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
        const call = (calls[delta.index] ??= { index: delta.index, arguments: '' })
        call.id ??= delta.id
        call.name ??= delta.function?.name
        call.arguments += delta.function?.arguments ?? ''
      }
      expect(calls).toEqual(
        functionCalls(whole.choices[0]?.message).map((call, index) => ({
          index,
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })),
      )
      expect(calls.map((call) => call.name)).toEqual(['get_order_status', 'get_weather'])
      expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant' })
      expect(chunks[0]?.choices[0]?.delta.tool_calls?.map((call) => call.index)).toEqual([0, 1])
      expect(chunks.map((c) => c.choices[0]?.delta.content).filter((content) => content)).toEqual([])
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter((f) => f != null)).toEqual(['tool_calls'])
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(4)
    })

    it('answers in text from a tool result', async () => {
      const messages = asking('我的订单 A1024 到哪了？')
      const call = await client.chat.completions.create({ model: simulatorModelName, messages, tools })
      const assistant = call.choices[0]!.message

      const answer = await client.chat.completions.create({
        model: simulatorModelName,
        tools,
        messages: [
          ...messages,
          { role: 'assistant', content: assistant.content, tool_calls: assistant.tool_calls },
          { role: 'tool', tool_call_id: assistant.tool_calls![0]!.id, content: '{\n  "status": "shipped",\n  "eta": "tomorrow"\n}' },
        ],
      })

      expect(answer.choices[0]?.finish_reason).toBe('stop')
      expect(answer.choices[0]?.message.content).toBe(
        '[simulated] 根据 get_order_status 的结果：{ "status": "shipped", "eta": "tomorrow" }',
      )
      expect(answer.choices[0]?.message.tool_calls).toBeUndefined()
      expect(answer.usage?.prompt_tokens_details?.cached_tokens).toBe(call.usage?.prompt_tokens)
    })

    it('streams the answer to a tool result in a few chunks, cut by max_tokens', async () => {
      const messages: ChatCompletionMessageParam[] = [
        ...asking('订单 A1024?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_order_status', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'shipped yesterday from the warehouse in Suzhou' },
      ]

      const stream = await client.chat.completions.create({ model: simulatorModelName, messages, tools, stream: true, max_tokens: 5 })
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) chunks.push(chunk)

      const pieces = chunks.map((c) => c.choices[0]?.delta.content ?? '').filter((piece) => piece)
      expect(pieces.length).toBeGreaterThan(1)
      expect(pieces.join('')).toBe('[simulated] 根据 get_order_status 的结果：shipped yesterday'.slice(0, 5 * 4))
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length')
    })

    it('apologises when a tool result is an error', async () => {
      const answer = await client.chat.completions.create({
        model: simulatorModelName,
        tools,
        messages: [
          ...asking('天气 in Atlantis'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_w', content: '{"error": "city not found"}' },
        ],
      })

      expect(answer.choices[0]?.message.content).toBe('[simulated] 抱歉，get_weather 没能给出结果：city not found。')
    })

    it('gives the ordinary reply when tool_choice is none', async () => {
      const completion = await client.chat.completions.create({
        model: simulatorModelName,
        messages: asking('订单 A1024'),
        tools,
        tool_choice: 'none',
      })

      expect(completion.choices[0]?.finish_reason).toBe('stop')
      expect(completion.choices[0]?.message.content).toMatch(/^\[simulated\] \S/)
      expect(completion.choices[0]?.message.tool_calls).toBeUndefined()
      expect(completion.usage?.completion_tokens).toBe(5)
    })

    it('forces the tool that tool_choice names', async () => {
      const completion = await client.chat.completions.create({
        model: simulatorModelName,
        messages: asking('hello'),
        tools,
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      })

      expect(functionCalls(completion.choices[0]?.message).map((call) => call.function)).toEqual([
        { name: 'get_weather', arguments: '{"city":"hello"}' },
      ])
    })

    it('rejects a tool_choice that names a function not among the tools with HTTP 400', async () => {
      const failure = client.chat.completions.create({
        model: simulatorModelName,
        messages: asking('hello'),
        tools,
        tool_choice: { type: 'function', function: { name: 'launch_rocket' } },
      })

      await expect(failure).rejects.toMatchObject({ status: 400, param: 'tool_choice' })
    })

    it('frees the slot of a streamed tool call whose client goes away', async () => {
      // Slow tokens keep the call running until the client leaves it.
      const slow = await startSimulatorServer({ ttftMs: 1, itlMs: 60_000 })
      const slowClient = new OpenAI({ baseURL: `${slow.url}/v1`, apiKey: 'not-checked', maxRetries: 0 })
      try {
        const stream = await slowClient.chat.completions.create({
          model: simulatorModelName,
          messages: asking('订单 A1024'),
          tools,
          stream: true,
        })
        for await (const chunk of stream) {
          expect(chunk.choices[0]?.delta.tool_calls?.[0]?.function?.name).toBe('get_order_status')
          expect(slow.replica.inFlight).toBe(1)
          break
        }

        await until(() => slow.replica.inFlight === 0, 5_000)
      } finally {
        await slow.close()
      }
    })

    it('does not reuse the cache for a result that answers another call', async () => {
      const opening = asking('订单 A1024?')
      const answerTo = (id: string) =>
        client.chat.completions.create({
          model: simulatorModelName,
          tools,
          messages: [
            ...opening,
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id, type: 'function', function: { name: 'get_order_status', arguments: '{}' } }],
            },
            { role: 'tool', tool_call_id: id, content: 'shipped' },
          ],
        })

      const first = await answerTo('call_a')
      const other = await answerTo('call_b')
      const again = await answerTo('call_a')

      expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0)
      expect(other.usage?.prompt_tokens_details?.cached_tokens).toBeLessThan(other.usage!.prompt_tokens)
      expect(again.usage?.prompt_tokens_details?.cached_tokens).toBe(again.usage?.prompt_tokens)
    })
  })
})
