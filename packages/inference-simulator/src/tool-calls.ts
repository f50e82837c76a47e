import { createHash } from 'node:crypto'
import { flatten, tokensOf, type SimulatedMessage } from './replica.js'

/** A tool as a request offers it; only function tools are ever called. */
export interface SimulatedTool {
  type: string
  function?: { name: string; description?: string; parameters?: Record<string, unknown> }
}

/** `tool_choice`: 'none' | 'auto' | 'required', or a function to force. */
export type SimulatedToolChoice = string | { type: string; function?: { name: string } }

/** The fields of a chat-completion request that decide what the simulator does with tools. */
export interface SimulatedToolRequest {
  messages: SimulatedMessage[]
  tools?: SimulatedTool[]
  tool_choice?: SimulatedToolChoice
  parallel_tool_calls?: boolean | null
}

export interface SimulatedToolCall {
  id: string
  name: string
  /** The arguments as JSON text, as OpenAI sends them. */
  arguments: string
}

/** What the simulator does about tools: call some, or answer from their results. */
export type SimulatedToolTurn = { kind: 'calls'; calls: SimulatedToolCall[] } | { kind: 'answer'; text: string }

interface FunctionTool {
  name: string
  description: string
  parameters: Record<string, unknown> | undefined
}

// Enough to exercise parallel calls without a request fanning out without bound.
const maxParallelCalls = 3
const resultChars = 300

/**
 * The tool turn a request gets under the rule in docs/inference-simulator.md ("Tool calls"), or
 * undefined when it gets the ordinary filler reply.
 */
export function planToolTurn(request: SimulatedToolRequest): SimulatedToolTurn | undefined {
  const tools = functionTools(request.tools ?? [])
  if (tools.length === 0 || request.tool_choice === 'none') return undefined
  const last = request.messages.at(-1)
  if (last?.role === 'tool') return { kind: 'answer', text: answerFromToolResults(request.messages) }
  if (last?.role !== 'user') return undefined
  const text = flatten(last.content).text
  const chosen = chooseTools(tools, text, request.tool_choice, request.parallel_tool_calls)
  if (chosen.length === 0) return undefined
  const calls = chosen.map((tool, index) => ({
    id: toolCallId(request.messages, index),
    name: tool.name,
    arguments: toolArguments(tool.parameters, text),
  }))
  return { kind: 'calls', calls }
}

/** The function a `tool_choice` forces, if it forces one. */
export function forcedToolName(choice: SimulatedToolChoice | undefined): string | undefined {
  return typeof choice === 'object' && choice.type === 'function' ? choice.function?.name : undefined
}

/** A deterministic call id: the same conversation gets the same ids on every run. */
export function toolCallId(messages: SimulatedMessage[], index: number): string {
  return `call_${createHash('sha256').update(JSON.stringify(messages)).digest('hex').slice(0, 12)}_${index}`
}

function functionTools(tools: SimulatedTool[]): FunctionTool[] {
  return tools.flatMap((tool) =>
    tool.type === 'function' && tool.function
      ? [{ name: tool.function.name, description: tool.function.description ?? '', parameters: tool.function.parameters }]
      : [],
  )
}

function chooseTools(
  tools: FunctionTool[],
  text: string,
  choice: SimulatedToolChoice | undefined,
  parallel: boolean | null | undefined,
): FunctionTool[] {
  const forced = forcedToolName(choice)
  if (forced !== undefined) return tools.filter((tool) => tool.name === forced).slice(0, 1)
  const matching = tools.filter((tool) => mentions(text.toLowerCase(), tool))
  if (matching.length === 0) return choice === 'required' ? tools.slice(0, 1) : []
  return matching.slice(0, parallel === false ? 1 : maxParallelCalls)
}

// A user names a tool by its name (an underscore read as a space too) or by a term its
// description quotes in corner brackets, so tests can trigger a tool in plain Chinese or English.
function mentions(text: string, tool: FunctionTool): boolean {
  const name = new RegExp(escapeRegExp(tool.name.toLowerCase()).replaceAll('_', '[_ ]'))
  return name.test(text) || quotedTerms(tool.description).some((term) => text.includes(term))
}

function quotedTerms(description: string): string[] {
  return [...description.matchAll(/「([^」]+)」/g)].map((match) => match[1]!.toLowerCase())
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The arguments JSON for a tool, each required parameter filled from the user's text by its type. */
export function toolArguments(parameters: Record<string, unknown> | undefined, text: string): string {
  const properties = isRecord(parameters?.properties) ? parameters.properties : {}
  const required = Array.isArray(parameters?.required)
    ? parameters.required.filter((name): name is string => typeof name === 'string')
    : Object.keys(properties)
  const args: Record<string, string | number | boolean> = {}
  for (const name of required) {
    const value = argumentValue(properties[name], text)
    if (value !== undefined) args[name] = value
  }
  return JSON.stringify(args)
}

function argumentValue(property: unknown, text: string): string | number | boolean | undefined {
  const type = isRecord(property) ? property.type : undefined
  switch (type) {
    case 'string':
      // An id ("A1024") is what a lookup tool most often wants; failing that, the whole question.
      return text.match(/[A-Za-z0-9_-]+/g)?.find((token) => /\d/.test(token)) ?? text.trim()
    case 'integer':
    case 'number': {
      const number = Number(text.match(/\d+(?:\.\d+)?/)?.[0] ?? 0)
      return type === 'integer' ? Math.trunc(number) : number
    }
    case 'boolean':
      return true
    default:
      return undefined
  }
}

/**
 * The simulated answer to the tool results that end a conversation: one sentence per result since
 * the last assistant message, naming the tool that gave it.
 */
export function answerFromToolResults(messages: SimulatedMessage[]): string {
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant')
  const calls = messages[lastAssistant]?.tool_calls ?? []
  const sentences = messages
    .slice(lastAssistant + 1)
    .filter((message) => message.role === 'tool')
    .map((result) => {
      const name = calls.find((call) => call.id === result.tool_call_id)?.function.name ?? result.tool_call_id ?? 'tool'
      return resultSentence(name, flatten(result.content).text)
    })
  return `[simulated] ${sentences.join(' ')}`
}

function resultSentence(name: string, content: string): string {
  const error = errorOf(content)
  if (error !== undefined) return `抱歉，${name} 没能给出结果：${error}。`
  const collapsed = content.replace(/\s+/g, ' ').trim()
  // By code points, so a cut never splits a character.
  return `根据 ${name} 的结果：${Array.from(collapsed).slice(0, resultChars).join('')}`
}

function errorOf(content: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(content)
    return isRecord(parsed) && typeof parsed.error === 'string' ? parsed.error : undefined
  } catch {
    return undefined
  }
}

/** A text cut to `maxTokens` (estimated as ⌈characters / 4⌉), with the finish reason that says whether it was. */
export function fitToTokens(
  text: string,
  maxTokens: number | undefined,
): { text: string; completionTokens: number; finishReason: 'stop' | 'length' } {
  if (maxTokens === undefined || tokensOf(text) <= maxTokens) return { text, completionTokens: tokensOf(text), finishReason: 'stop' }
  let cut = text.slice(0, maxTokens * 4)
  // Never end on half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return { text: cut, completionTokens: maxTokens, finishReason: 'length' }
}

/** A text split into at most `count` pieces of near-equal length (by code points) that join back to it. */
export function splitText(text: string, count: number): string[] {
  const chars = Array.from(text)
  const size = Math.max(1, Math.ceil(chars.length / count))
  const pieces: string[] = []
  for (let start = 0; start < chars.length; start += size) pieces.push(chars.slice(start, start + size).join(''))
  return pieces.length > 0 ? pieces : ['']
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
