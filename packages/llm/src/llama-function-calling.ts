import { randomUUID } from 'node:crypto'
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, ChatWrapperSettings } from 'node-llama-cpp'
import { textOf, type ChatCompletionRequest, type OpenAIChoice, type OpenAIChunkChoice, type OpenAIMessage } from '@chorus/protocol'
import { RequestRefused } from './engine.js'
import { gbnfSchemaOf, UnexpressibleSchema } from './function-schema.js'

/** A function call as OpenAI answers it: `arguments` is JSON text. */
export interface OpenAIToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** A function call the model made, as node-llama-cpp returns it (unrun). */
export interface ModelFunctionCall {
  functionName: string
  params: unknown
}

/**
 * Whether a chat wrapper calls functions in its model's own syntax (read from its chat template,
 * or a wrapper written for that model family). node-llama-cpp gives every other wrapper a generic
 * `||call:` syntax taught only by a system prompt, which a model never trained on it does not use.
 */
export function callsFunctionsNatively(settings: ChatWrapperSettings, generic: ChatWrapperSettings['functions']): boolean {
  return settings.functions !== generic && JSON.stringify(settings.functions) !== JSON.stringify(generic)
}

/** node-llama-cpp's function-calling options for a `/v1` request: the functions it offers (none for `tool_choice: "none"`). */
export function functionCallingOf(request: ChatCompletionRequest): { functions?: ChatModelFunctions; maxParallelFunctionCalls?: number } {
  const choice = request.tool_choice
  if (choice === 'required' || (typeof choice === 'object' && choice !== null)) {
    // node-llama-cpp lets the model choose whether to call: it cannot be made to call, or to call one function.
    throw new RequestRefused(
      `The local model cannot be made to call a function: tool_choice ${JSON.stringify(choice)} is not supported (use "auto" or "none").`,
      'tool_choice',
    )
  }
  const tools = request.tools ?? []
  if (tools.length === 0 || choice === 'none') return {}
  const functions: Record<string, { description?: string; params?: ReturnType<typeof gbnfSchemaOf> }> = {}
  tools.forEach((tool, i) => {
    if (tool.type !== 'function')
      throw new RequestRefused(`The local model calls functions only: tools[${i}] is a '${tool.type}' tool.`, 'tools')
    const { name, description, parameters } = (tool as { function: { name: string; description?: string; parameters?: unknown } }).function
    if (Object.hasOwn(functions, name))
      throw new RequestRefused(`tools[${i}]: the function '${name}' is listed twice.`, 'tools', 'invalid_request')
    try {
      functions[name] = {
        ...(description ? { description } : {}),
        ...(parameters !== undefined ? { params: gbnfSchemaOf(parameters, `tools[${i}].function.parameters`) } : {}),
      }
    } catch (error) {
      if (!(error instanceof UnexpressibleSchema)) throw error
      throw new RequestRefused(
        `The local model cannot hold a call to this function's parameters: ${error.message}.`,
        'tools',
        'unsupported_parameter',
        {
          cause: error,
        },
      )
    }
  })
  return { functions, ...(request.parallel_tool_calls === false ? { maxParallelFunctionCalls: 1 } : {}) }
}

/**
 * A `/v1` request's messages as node-llama-cpp's chat history: an assistant message's tool calls
 * become function calls carrying their `tool` results (matched by `tool_call_id`), and what the
 * assistant says after the results continues the same model response, as node-llama-cpp keeps it.
 */
export function chatHistoryOf(messages: OpenAIMessage[]): ChatHistoryItem[] {
  const results = toolResults(messages)
  const history: ChatHistoryItem[] = []
  let previous: OpenAIMessage['role'] | undefined
  messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') history.push({ type: 'system', text: textOf(message.content) })
    else if (message.role === 'user') history.push({ type: 'user', text: textOf(message.content as Parameters<typeof textOf>[0]) })
    else if (message.role === 'assistant') {
      const text = message.content ? textOf(message.content as Parameters<typeof textOf>[0]) : ''
      const calls = (message.tool_calls ?? []).map((call, j): ChatModelFunctionCall => {
        const result = results.get(call.id)
        if (result === undefined) {
          throw new RequestRefused(
            `messages[${i}]: the tool call '${call.id}' has no tool message with its result.`,
            `messages.${i}`,
            'invalid_request',
          )
        }
        return {
          type: 'functionCall',
          name: call.function.name,
          params: argumentsOf(call.function.arguments, `messages.${i}.tool_calls.${j}.function.arguments`),
          result,
          ...(j === 0 ? { startsNewChunk: true } : {}),
        }
      })
      const response = [...(text ? [text] : []), ...calls]
      const last = history[history.length - 1]
      // After tool results the model's turn goes on: one model response, as node-llama-cpp writes it.
      if (last?.type === 'model' && (previous === 'tool' || previous === 'assistant')) last.response.push(...response)
      else history.push({ type: 'model', response })
    } else if (message.role === 'function') {
      throw new RequestRefused(`messages[${i}]: the deprecated 'function' role is not supported; send 'tool' messages.`, `messages.${i}`)
    }
    previous = message.role
  })
  return history
}

/** Each `tool` message's result by the call it answers; one that answers no earlier call is refused. */
function toolResults(messages: OpenAIMessage[]): Map<string, unknown> {
  const called = new Set<string>()
  const results = new Map<string, unknown>()
  messages.forEach((message, i) => {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) called.add(call.id)
    if (message.role !== 'tool') return
    if (!called.has(message.tool_call_id) || results.has(message.tool_call_id)) {
      throw new RequestRefused(
        `messages[${i}]: '${message.tool_call_id}' is not a tool call of an earlier assistant message, or was answered already.`,
        `messages.${i}`,
        'invalid_request',
      )
    }
    const text = textOf(message.content)
    results.set(message.tool_call_id, parsedOr(text))
  })
  return results
}

/** A tool's result as JSON when it is JSON (the chat template writes it as such), else as text. */
function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function argumentsOf(text: string, param: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new RequestRefused(`${param} is not JSON.`, param, 'invalid_request', { cause: error })
  }
}

/** The model's function calls as OpenAI tool calls, each with a new id. */
export function toolCallsOf(calls: readonly ModelFunctionCall[], newId: () => string = toolCallId): OpenAIToolCall[] {
  return calls.map((call) => ({
    id: newId(),
    type: 'function',
    function: { name: call.functionName, arguments: JSON.stringify(call.params ?? {}) },
  }))
}

function toolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`
}

/** The finished choice of a reply: its text (null beside tool calls, as OpenAI answers) and its tool calls. */
export function choiceOf(text: string, toolCalls: OpenAIToolCall[], finishReason: string): OpenAIChoice {
  return {
    index: 0,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    finish_reason: finishReason,
    logprobs: null,
  }
}

/** The streamed chunk choice that carries a reply's tool calls, whole, and its finish reason. */
export function toolCallsChunkOf(toolCalls: OpenAIToolCall[], first: boolean): OpenAIChunkChoice {
  return {
    index: 0,
    delta: {
      ...(first ? { role: 'assistant', content: null } : {}),
      tool_calls: toolCalls.map((call, index) => ({ index, ...call })),
    },
    finish_reason: 'tool_calls',
  }
}
