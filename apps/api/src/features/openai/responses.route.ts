import { randomUUID } from 'node:crypto'
import type { Request, Response } from 'express'
import {
  chatCompletionRequest,
  responsesRequest,
  type ChatCompletionRequest,
  type OpenAIChoice,
  type OpenAIMessage,
  type ReplyEvent,
  type ResponsesInputItem,
  type ResponsesRequest,
} from '@chorus/protocol'
import { startEventStream } from '../../http/event-stream.js'
import { invalidBody, OpenAIError, refusal } from './openai-errors.js'

/** A prompt's reply events, as the pool's reply reader yields them. */
type Events = AsyncIterable<ReplyEvent>

/** Queues a chat completion and reads its reply (the `/v1/chat/completions` path). */
export type Complete = (request: ChatCompletionRequest, res: Response) => Promise<{ jobId: string; events: Events }>

type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } }

/** The input items as chat messages: a run of function calls is one assistant message, each output a tool message. */
function messagesOf(request: ResponsesRequest): OpenAIMessage[] {
  const messages: OpenAIMessage[] = request.instructions ? [{ role: 'system', content: request.instructions }] : []
  const items: ResponsesInputItem[] = typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input
  for (const item of items) {
    if (item.type === 'function_call') {
      const call: ToolCall = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } }
      const last = messages.at(-1)
      if (last?.role === 'assistant' && last.tool_calls) last.tool_calls.push(call)
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] })
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output })
    } else if (typeof item.content === 'string') {
      messages.push({ role: item.role, content: item.content } as OpenAIMessage)
    } else {
      const parts = item.content.map((part) =>
        part.type === 'input_image'
          ? { type: 'image_url' as const, image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } }
          : { type: 'text' as const, text: part.text },
      )
      messages.push({ role: item.role, content: parts } as OpenAIMessage)
    }
  }
  return messages
}

/** The chat completion a Responses request asks for. */
function chatRequestOf(request: ResponsesRequest): ChatCompletionRequest {
  const format = request.text?.format
  const body = {
    model: request.model,
    messages: messagesOf(request),
    max_tokens: request.max_output_tokens,
    temperature: request.temperature,
    top_p: request.top_p,
    user: request.user,
    parallel_tool_calls: request.parallel_tool_calls,
    response_format:
      format?.type === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: { name: format.name, schema: format.schema, description: format.description, strict: format.strict },
          }
        : format,
    tools: request.tools?.map(({ type, name, description, parameters, strict }) => ({
      type,
      function: { name, description: description ?? undefined, parameters: parameters ?? undefined, strict },
    })),
    tool_choice:
      typeof request.tool_choice === 'object' && request.tool_choice
        ? { type: 'function', function: { name: request.tool_choice.name } }
        : request.tool_choice,
  }
  const parsed = chatCompletionRequest.safeParse(body)
  if (!parsed.success) throw invalidBody(parsed.error)
  return parsed.data
}

/** The output items of a finished choice: its text as a message, then each function call. */
function outputOf(choice: OpenAIChoice, messageId: string): object[] {
  const toolCalls = ((choice.message as { tool_calls?: ToolCall[] }).tool_calls ?? []).filter((call) => call.type === 'function')
  const text = choice.message.content ?? ''
  const message =
    text || toolCalls.length === 0
      ? [
          {
            type: 'message',
            id: messageId,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
          },
        ]
      : []
  const calls = toolCalls.map((call) => ({
    type: 'function_call',
    id: `fc_${call.id}`,
    call_id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
    status: 'completed',
  }))
  return [...message, ...calls]
}

/** The final choice of a reply's `done` event. */
function choiceOf(done: Extract<ReplyEvent, { type: 'done' }>): OpenAIChoice {
  return (
    done.choices?.find((choice) => choice.index === 0) ?? {
      index: 0,
      message: { role: 'assistant', content: done.text },
      finish_reason: done.finishReason,
    }
  )
}

/**
 * `POST /v1/responses`: OpenAI's Responses API for text, images, function tools and structured
 * output, answered through the same pool as a chat completion. Nothing is stored, so
 * `previous_response_id` and the like are refused with 400.
 */
export function responsesRoute(complete: Complete) {
  const known = new Set(Object.keys(responsesRequest.shape))
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = responsesRequest.safeParse(req.body)
    if (!parsed.success) throw invalidBody(parsed.error)
    const request = parsed.data
    const unknown = Object.keys(request).find((key) => !known.has(key) && request[key] !== null && request[key] !== undefined)
    if (unknown) {
      throw new OpenAIError(
        400,
        'invalid_request_error',
        'unsupported_parameter',
        `'${unknown}' is not supported by this Responses API (nothing is stored; text, images, function tools and structured output are).`,
        unknown,
      )
    }
    const { jobId, events } = await complete(chatRequestOf(request), res)
    const id = `resp_${jobId.slice(4).replace(/-/g, '')}`
    const messageId = `msg_${randomUUID().replace(/-/g, '')}`
    const createdAt = Math.floor(Date.now() / 1000)
    const base = {
      id,
      object: 'response',
      created_at: createdAt,
      error: null,
      instructions: request.instructions ?? null,
      max_output_tokens: request.max_output_tokens ?? null,
      model: request.model,
      parallel_tool_calls: request.parallel_tool_calls ?? true,
      previous_response_id: null,
      store: false,
      temperature: request.temperature ?? 1,
      top_p: request.top_p ?? 1,
      text: { format: request.text?.format ?? { type: 'text' } },
      tool_choice: request.tool_choice ?? 'auto',
      tools: request.tools ?? [],
      metadata: request.metadata ?? {},
      user: request.user ?? null,
    }
    const finished = (done: Extract<ReplyEvent, { type: 'done' }>) => {
      const choice = choiceOf(done)
      const incomplete =
        choice.finish_reason === 'length' ? 'max_output_tokens' : choice.finish_reason === 'content_filter' ? 'content_filter' : null
      return {
        ...base,
        status: incomplete ? 'incomplete' : 'completed',
        incomplete_details: incomplete ? { reason: incomplete } : null,
        output: outputOf(choice, messageId),
        usage: {
          input_tokens: done.promptTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: done.completionTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: done.promptTokens + done.completionTokens,
        },
      }
    }

    if (!request.stream) {
      for await (const event of events) {
        if (event.type === 'error') {
          if (event.code === 'cancelled') return
          throw refusal(event) ?? new OpenAIError(502, 'server_error', event.code, 'The model could not answer this request.')
        }
        if (event.type === 'done') {
          res.json(finished(event))
          return
        }
      }
      return
    }
    await streamResponse(res, events, { base, messageId, finished })
  }
}

/**
 * The Responses API's server-sent events: created and in progress, then the message's text as
 * deltas, its item done, each function call as an item with its arguments, and the response
 * completed (or incomplete); each event numbered.
 */
async function streamResponse(
  res: Response,
  events: Events,
  meta: {
    base: object
    messageId: string
    finished: (done: Extract<ReplyEvent, { type: 'done' }>) => { status: string; output: object[] }
  },
): Promise<void> {
  let sequence = 0
  const send = (type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`)
  const item = { id: meta.messageId, output_index: 0, content_index: 0 }
  let started = false
  const start = () => {
    if (started) return
    started = true
    startEventStream(res)
    const response = { ...meta.base, status: 'in_progress', incomplete_details: null, output: [], usage: null }
    send('response.created', { response })
    send('response.in_progress', { response })
  }
  let text = ''
  let opened = false
  const open = () => {
    if (opened) return
    opened = true
    send('response.output_item.added', {
      output_index: 0,
      item: { type: 'message', id: meta.messageId, status: 'in_progress', role: 'assistant', content: [] },
    })
    send('response.content_part.added', {
      item_id: meta.messageId,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    })
  }
  for await (const event of events) {
    if (event.type === 'delta') {
      start()
      if (!event.text) continue
      open()
      text += event.text
      send('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: event.text, logprobs: [] })
    } else if (event.type === 'retry') {
      if (text) {
        send('error', { code: 'replica_failed', message: 'The replica failed mid-answer.', param: null })
        res.end()
        return
      }
    } else if (event.type === 'error') {
      const refused = refusal(event)
      if (refused && !started) throw refused
      start()
      if (event.code !== 'cancelled')
        send('error', {
          code: event.code,
          message: refused?.message ?? 'The model could not answer this request.',
          param: refused?.param ?? null,
        })
      res.end()
      return
    } else {
      start()
      const response = meta.finished(event)
      response.output.forEach((output, index) => {
        const done = output as { type: string; id: string; arguments?: string; content?: Array<{ text: string }> }
        if (done.type === 'message') {
          open()
          const part = done.content![0]!
          send('response.output_text.done', { item_id: done.id, output_index: index, content_index: 0, text: part.text, logprobs: [] })
          send('response.content_part.done', { item_id: done.id, output_index: index, content_index: 0, part })
        } else {
          send('response.output_item.added', { output_index: index, item: { ...done, arguments: '', status: 'in_progress' } })
          send('response.function_call_arguments.delta', { item_id: done.id, output_index: index, delta: done.arguments })
          send('response.function_call_arguments.done', { item_id: done.id, output_index: index, arguments: done.arguments })
        }
        send('response.output_item.done', { output_index: index, item: output })
      })
      send(response.status === 'completed' ? 'response.completed' : 'response.incomplete', { response })
      res.end()
      return
    }
  }
  res.end()
}
