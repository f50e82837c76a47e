import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { AIMessage, type AIMessageChunk, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages'
import { tool as langchainTool } from '@langchain/core/tools'
import { ChatOpenAI } from '@langchain/openai'
import { generateText, streamText, tool as aiTool } from 'ai'
import OpenAI, { BadRequestError } from 'openai'
import { z } from 'zod'
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { startRecordingModelServer, type RecordingModelServer } from './support/recording-model-server.js'
import { startTestStack, type TestStack } from './support/test-stack.js'

const apiKey = 'sk-passthrough'
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    strict: true,
  },
}
const weatherCall = { id: 'call_w1', name: 'get_weather', pieces: ['{"ci', 'ty": "Sh', 'anghai"}'] }

describe('/v1 in front of an OpenAI-compatible model server', () => {
  let stack: TestStack
  let server: RecordingModelServer
  let openai: OpenAI

  beforeAll(async () => {
    server = await startRecordingModelServer()
    stack = await startTestStack({ env: { CHORUS_API_KEYS: apiKey, CHORUS_MODEL_URL: server.url, CHORUS_MODEL_NAME: server.model } })
    openai = new OpenAI({ baseURL: `${stack.api.url}/v1`, apiKey, maxRetries: 0 })
  })

  afterAll(async () => {
    await stack?.stop()
    await server?.close()
  })

  beforeEach(() => {
    server.reply = () => ({ text: 'Hello from the recorder' })
  })

  const lastBody = () => server.bodies.at(-1)!

  describe('with the official openai client', () => {
    it('passes every sampling parameter, the response format, tools and extra fields to the server unchanged', async () => {
      const params = {
        temperature: 0.3,
        top_p: 0.9,
        seed: 42,
        stop: ['\n\n', 'END'],
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        logit_bias: { '1234': -100, '42': 5 },
        logprobs: true,
        top_logprobs: 3,
        response_format: {
          type: 'json_schema' as const,
          json_schema: { name: 'weather', strict: true, schema: { type: 'object', properties: { city: { type: 'string' } } } },
        },
        tools: [weatherTool],
        tool_choice: { type: 'function' as const, function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        user: 'user-7',
        max_completion_tokens: 64,
      }
      // vLLM's own fields, unknown to OpenAI: sent as extra body.
      const extra = {
        top_k: 20,
        guided_json: { type: 'object' },
        chat_template_kwargs: { enable_thinking: false },
        repetition_penalty: 1.1,
      }

      const completion = await openai.chat.completions.create({
        model: server.model,
        messages: [{ role: 'user', content: 'What is the weather?' }],
        ...params,
        ...(extra as object),
      })

      expect(completion.choices[0]!.message.content).toBe('Hello from the recorder')
      expect(lastBody()).toEqual({
        model: server.model,
        messages: [{ role: 'user', content: 'What is the weather?' }],
        ...params,
        ...extra,
        stream: true,
        stream_options: { include_usage: true },
      })
    })

    it('passes a json_object response format', async () => {
      await openai.chat.completions.create({
        model: server.model,
        messages: [{ role: 'user', content: 'JSON please' }],
        response_format: { type: 'json_object' },
      })
      expect(lastBody().response_format).toEqual({ type: 'json_object' })
    })

    it('answers a tool call as OpenAI does, and takes the assistant tool-call message and the tool result back', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const question: ChatCompletionMessageParam = { role: 'user', content: 'Weather in Shanghai?' }

      const completion = await openai.chat.completions.create({ model: server.model, messages: [question], tools: [weatherTool] })

      const [choice] = completion.choices
      expect(choice!.finish_reason).toBe('tool_calls')
      expect(choice!.message.content).toBeNull()
      expect(choice!.message.tool_calls).toEqual([
        { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Shanghai"}' } },
      ])

      server.reply = () => ({ text: 'It is sunny in Shanghai.' })
      const followUp: ChatCompletionMessageParam[] = [
        question,
        { role: 'assistant', content: null, tool_calls: choice!.message.tool_calls },
        { role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' },
      ]
      const answer = await openai.chat.completions.create({ model: server.model, messages: followUp, tools: [weatherTool] })

      expect(answer.choices[0]!.message.content).toBe('It is sunny in Shanghai.')
      expect(lastBody().messages).toEqual(followUp)
    })

    it('streams tool calls chunk by chunk as the server sent them, ending with finish_reason "tool_calls"', async () => {
      const second = { id: 'call_t2', name: 'get_time', pieces: ['{"tz":', '"Asia/Shanghai"}'] }
      server.reply = () => ({ toolCalls: [weatherCall, second] })

      const stream = await openai.chat.completions.create({
        model: server.model,
        messages: [{ role: 'user', content: 'Weather and time in Shanghai?' }],
        tools: [weatherTool],
        stream: true,
      })
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) chunks.push(chunk)

      expect(chunks.map((c) => c.choices)).toEqual(server.streamed)
      expect(chunks[0]!.choices[0]!.delta.tool_calls).toEqual([
        { index: 0, id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '' } },
      ])
      const pieces = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((d) => d.index === 1)
      expect(pieces.map((d) => d.function?.arguments).join('')).toBe('{"tz":"Asia/Shanghai"}')
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls')
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
    })

    it('puts a streamed tool call together with the SDK helper', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const runner = openai.chat.completions.stream({
        model: server.model,
        messages: [{ role: 'user', content: 'Weather in Shanghai?' }],
        tools: [weatherTool],
      })
      const final = await runner.finalChatCompletion()
      expect(final.choices[0]!.message.tool_calls![0]!.function).toMatchObject({ name: 'get_weather', arguments: '{"city": "Shanghai"}' })
      expect(final.choices[0]!.finish_reason).toBe('tool_calls')
    })

    it('passes image and audio parts unchanged', async () => {
      const image = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
      const messages: ChatCompletionMessageParam[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture and this sound?' },
            { type: 'image_url', image_url: { url: image, detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
      ]
      await openai.chat.completions.create({ model: server.model, messages })
      expect(lastBody().messages).toEqual(messages)
    })

    it('gives n choices and their log probabilities, plain and streamed, when the server supports n', async () => {
      const plain = await openai.chat.completions.create({
        model: server.model,
        messages: [{ role: 'user', content: 'Two answers' }],
        n: 2,
        logprobs: true,
      })
      expect(plain.choices.map((c) => [c.index, c.message.content])).toEqual([
        [0, 'Hello from the recorder'],
        [1, 'Hello from the recorder #1'],
      ])
      expect(plain.choices[0]!.logprobs!.content!.map((t) => t.token).join('')).toBe('Hello from the recorder')

      const stream = await openai.chat.completions.create({
        model: server.model,
        messages: [{ role: 'user', content: 'Two' }],
        n: 2,
        stream: true,
        stream_options: { include_usage: true },
      })
      const text = ['', '']
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of stream) {
        chunks.push(chunk)
        for (const c of chunk.choices) text[c.index] += c.delta.content ?? ''
      }
      expect(text).toEqual(['Hello from the recorder', 'Hello from the recorder #1'])
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } })
    })

    it.each([false, true])("answers 400 with the server's message and param when it refuses the request (stream: %s)", async (stream) => {
      server.reply = () => ({ error: { status: 400, message: 'guided_json is not a valid JSON schema', param: 'guided_json' } })
      const asked = server.bodies.length

      const refused = await openai.chat.completions
        .create({ model: server.model, messages: [{ role: 'user', content: 'hi' }], stream, ...({ guided_json: 'nope' } as object) })
        .then(
          () => undefined,
          (error: unknown) => error,
        )

      expect(refused).toBeInstanceOf(BadRequestError)
      expect((refused as BadRequestError).param).toBe('guided_json')
      expect((refused as BadRequestError).message).toMatch(/guided_json is not a valid JSON schema/)
      // Refused once: not retried on another replica.
      expect(server.bodies.length).toBe(asked + 1)
    })
  })

  describe('with LangChain ChatOpenAI', () => {
    const getWeather = langchainTool(async ({ city }: { city: string }) => `sunny in ${city}`, {
      name: 'get_weather',
      description: 'The weather in a city',
      schema: z.object({ city: z.string() }),
    })
    const chat = (options: ConstructorParameters<typeof ChatOpenAI>[0] = {}) =>
      new ChatOpenAI({ model: server.model, apiKey, configuration: { baseURL: `${stack.api.url}/v1` }, maxRetries: 0, ...options })

    it('passes its sampling options and extra model kwargs to the server', async () => {
      const reply = await chat({
        temperature: 0.2,
        topP: 0.8,
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        stop: ['END'],
        maxTokens: 32,
        logitBias: { '50256': -100 },
        modelKwargs: { seed: 7, top_k: 40, chat_template_kwargs: { enable_thinking: false } },
      }).invoke([new HumanMessage('Hello')])

      expect(reply.content).toBe('Hello from the recorder')
      expect(lastBody()).toMatchObject({
        temperature: 0.2,
        top_p: 0.8,
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
        stop: ['END'],
        max_tokens: 32,
        logit_bias: { '50256': -100 },
        seed: 7,
        top_k: 40,
        chat_template_kwargs: { enable_thinking: false },
      })
    })

    it('round-trips a tool call: the call comes back parsed, and the tool message goes back to the server', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const withTools = chat().bindTools([getWeather], { tool_choice: 'required' })
      const history: BaseMessage[] = [new HumanMessage('Weather in Shanghai?')]

      const call = await withTools.invoke(history)

      expect(call.tool_calls).toEqual([{ type: 'tool_call', id: 'call_w1', name: 'get_weather', args: { city: 'Shanghai' } }])
      expect(call.response_metadata.finish_reason).toBe('tool_calls')
      expect(lastBody()).toMatchObject({ tool_choice: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] })

      server.reply = () => ({ text: 'It is sunny in Shanghai.' })
      const answer = await withTools.invoke([...history, call, new ToolMessage({ tool_call_id: 'call_w1', content: 'sunny' })])

      expect(answer.content).toBe('It is sunny in Shanghai.')
      expect(lastBody().messages).toEqual([
        { role: 'user', content: 'Weather in Shanghai?' },
        expect.objectContaining({
          role: 'assistant',
          tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Shanghai"}' } }],
        }),
        { role: 'tool', tool_call_id: 'call_w1', content: 'sunny' },
      ])
    })

    it('streams a tool call whose chunks add up to the call', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      let whole: AIMessageChunk | undefined
      for await (const chunk of await chat()
        .bindTools([getWeather])
        .stream([new HumanMessage('Weather in Shanghai?')]))
        whole = whole ? whole.concat(chunk) : chunk

      expect(whole!.tool_calls).toEqual([expect.objectContaining({ id: 'call_w1', name: 'get_weather', args: { city: 'Shanghai' } })])
    })

    it('passes an image part', async () => {
      const url = 'https://example.com/receipt.png'
      await chat().invoke([
        new HumanMessage({
          content: [
            { type: 'text', text: 'Read this receipt' },
            { type: 'image_url', image_url: { url } },
          ],
        }),
      ])
      expect(lastBody().messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read this receipt' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ])
    })

    it('keeps an assistant message as history', async () => {
      await chat().invoke([new HumanMessage('Hi'), new AIMessage('Hello!'), new HumanMessage('Again')])
      expect((lastBody().messages as unknown[]).length).toBe(3)
    })
  })

  describe('with the AI SDK OpenAI-compatible provider', () => {
    const provider = () => createOpenAICompatible({ name: 'chorus', baseURL: `${stack.api.url}/v1`, apiKey, includeUsage: true })
    const tools = {
      get_weather: aiTool({ description: 'The weather in a city', inputSchema: z.object({ city: z.string() }) }),
    }

    it('passes its settings and provider options as the request body', async () => {
      const result = await generateText({
        model: provider()(server.model),
        prompt: 'Hello',
        temperature: 0.4,
        topP: 0.7,
        seed: 3,
        stopSequences: ['STOP'],
        presencePenalty: 0.3,
        frequencyPenalty: 0.6,
        maxOutputTokens: 48,
        maxRetries: 0,
        providerOptions: { chorus: { top_k: 10, guided_json: { type: 'object' } } },
      })

      expect(result.text).toBe('Hello from the recorder')
      expect(lastBody()).toMatchObject({
        temperature: 0.4,
        top_p: 0.7,
        seed: 3,
        stop: ['STOP'],
        presence_penalty: 0.3,
        frequency_penalty: 0.6,
        max_tokens: 48,
        top_k: 10,
        guided_json: { type: 'object' },
      })
    })

    it('gets a tool call and sends its result back', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const call = await generateText({
        model: provider()(server.model),
        prompt: 'Weather in Shanghai?',
        tools,
        toolChoice: 'required',
        maxRetries: 0,
      })

      expect(call.finishReason).toBe('tool-calls')
      expect(call.toolCalls).toEqual([
        expect.objectContaining({ toolCallId: 'call_w1', toolName: 'get_weather', input: { city: 'Shanghai' } }),
      ])
      expect(lastBody()).toMatchObject({ tool_choice: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] })

      server.reply = () => ({ text: 'Sunny.' })
      const answer = await generateText({
        model: provider()(server.model),
        tools,
        maxRetries: 0,
        messages: [
          { role: 'user', content: 'Weather in Shanghai?' },
          ...call.response.messages,
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'call_w1', toolName: 'get_weather', output: { type: 'text', value: 'sunny' } }],
          },
        ],
      })

      expect(answer.text).toBe('Sunny.')
      const sent = lastBody().messages as Array<Record<string, unknown>>
      expect(sent[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_w1', function: { name: 'get_weather' } }] })
      expect(sent[2]).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: 'sunny' })
    })

    it('streams a tool call: its input arrives in pieces and ends as one call', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const result = streamText({ model: provider()(server.model), prompt: 'Weather in Shanghai?', tools, maxRetries: 0 })
      const deltas: string[] = []
      for await (const part of result.fullStream) if (part.type === 'tool-input-delta') deltas.push(part.delta)

      expect(deltas.join('')).toBe('{"city": "Shanghai"}')
      expect(await result.toolCalls).toEqual([expect.objectContaining({ toolCallId: 'call_w1', input: { city: 'Shanghai' } })])
      expect(await result.finishReason).toBe('tool-calls')
    })

    it('passes an image', async () => {
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
      await generateText({
        model: provider()(server.model),
        maxRetries: 0,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', image: png, mediaType: 'image/png' },
            ],
          },
        ],
      })
      expect(lastBody().messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
          ],
        },
      ])
    })
  })

  describe('through the Responses API (/v1/responses)', () => {
    it('answers text with the official client, sending instructions, limits and sampling as a chat completion', async () => {
      const response = await openai.responses.create({
        model: server.model,
        instructions: 'Be brief.',
        input: 'Hello',
        max_output_tokens: 40,
        temperature: 0.3,
        top_p: 0.9,
      })

      expect(response.object).toBe('response')
      expect(response.status).toBe('completed')
      expect(response.output_text).toBe('Hello from the recorder')
      expect(response.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, total_tokens: 10 })
      expect(lastBody()).toMatchObject({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 40,
        temperature: 0.3,
        top_p: 0.9,
      })
    })

    it('streams text as output_text deltas, ending with response.completed', async () => {
      const stream = await openai.responses.create({ model: server.model, input: [{ role: 'user', content: 'Hi' }], stream: true })
      const types: string[] = []
      let text = ''
      let completed: OpenAI.Responses.Response | undefined
      for await (const event of stream) {
        types.push(event.type)
        if (event.type === 'response.output_text.delta') text += event.delta
        if (event.type === 'response.completed') completed = event.response
      }

      expect(text).toBe('Hello from the recorder')
      expect(types[0]).toBe('response.created')
      expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThanOrEqual(1)
      expect(types.at(-1)).toBe('response.completed')
      expect(completed!.status).toBe('completed')
      expect(completed!.output).toEqual([
        expect.objectContaining({ type: 'message', role: 'assistant', content: [expect.objectContaining({ type: 'output_text', text })] }),
      ])
    })

    it('round-trips a function call: the call comes back as an output item, its output goes back as a tool message', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const tools = [
        {
          type: 'function' as const,
          name: 'get_weather',
          description: 'The weather in a city',
          parameters: weatherTool.function.parameters,
          strict: true,
        },
      ]

      const call = await openai.responses.create({ model: server.model, input: 'Weather in Shanghai?', tools })

      const item = call.output.find((o) => o.type === 'function_call')
      expect(item).toMatchObject({ type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city": "Shanghai"}' })
      expect(lastBody()).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }] })

      server.reply = () => ({ text: 'Sunny.' })
      const answer = await openai.responses.create({
        model: server.model,
        tools,
        input: [
          { role: 'user', content: 'Weather in Shanghai?' },
          { type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city": "Shanghai"}' },
          { type: 'function_call_output', call_id: 'call_w1', output: '{"sky":"sunny"}' },
        ],
      })

      expect(answer.output_text).toBe('Sunny.')
      expect(lastBody().messages).toEqual([
        { role: 'user', content: 'Weather in Shanghai?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Shanghai"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"sunny"}' },
      ])
    })

    it('streams a function call as an output item with its arguments', async () => {
      server.reply = () => ({ toolCalls: [weatherCall] })
      const stream = openai.responses.stream({
        model: server.model,
        input: 'Weather?',
        tools: [{ type: 'function', name: 'get_weather', parameters: {}, strict: false }],
      })
      const final = await stream.finalResponse()
      expect(final.output).toEqual([
        expect.objectContaining({ type: 'function_call', call_id: 'call_w1', arguments: '{"city": "Shanghai"}' }),
      ])
    })

    it('passes an image and a JSON schema format', async () => {
      await openai.responses.create({
        model: server.model,
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Describe' },
              { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' },
            ],
          },
        ],
        text: { format: { type: 'json_schema', name: 'description', schema: { type: 'object' }, strict: true } },
      })
      expect(lastBody()).toMatchObject({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe' },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
            ],
          },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'description', schema: { type: 'object' }, strict: true } },
      })
    })

    it('answers 400 naming what it does not do (nothing is stored)', async () => {
      const error = await openai.responses.create({ model: server.model, input: 'Hi', previous_response_id: 'resp_123' }).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(BadRequestError)
      expect((error as BadRequestError).param).toBe('previous_response_id')
    })

    it('works for LangChain ChatOpenAI set to use the Responses API', async () => {
      const chat = new ChatOpenAI({
        model: server.model,
        apiKey,
        configuration: { baseURL: `${stack.api.url}/v1` },
        useResponsesApi: true,
        maxRetries: 0,
      })
      const reply = await chat.invoke([new HumanMessage('Hello')])
      expect(reply.text).toBe('Hello from the recorder')
    })
  })
})
