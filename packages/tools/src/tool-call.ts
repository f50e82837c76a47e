import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js'
import type { RecordedToolCall } from '@chorus/protocol'
import type { ToolDefinition, ToolLimits, ToolOutcome } from './toolset.js'

/** A tool call as the model made it. */
export interface ModelToolCall {
  id: string
  function: { name: string; arguments: string }
}

/** A finished call: what is recorded, what the model reads back, and a final reply if the tool ends the answer. */
export interface FinishedToolCall {
  record: RecordedToolCall
  /** The tool message's content. */
  content: string
  final?: string
}

// The MCP SDK's own validator (Ajv, not strict: servers' schemas are written for models, and
// unknown keywords pass), as its client checks a tool's structured output.
const schemas = new AjvJsonSchemaValidator()
const validators = new Map<string, JsonSchemaValidator<unknown> | Error>()

/** The validator of a tool's schema, compiled once per schema text; a schema Ajv cannot compile is reported. */
function validatorFor(schema: Record<string, unknown>): JsonSchemaValidator<unknown> | Error {
  const key = JSON.stringify(schema)
  let validator = validators.get(key)
  if (!validator) {
    try {
      validator = schemas.getValidator(schema as JsonSchemaType)
    } catch (error) {
      validator = error instanceof Error ? error : new Error(String(error))
    }
    if (validators.size > 1000) validators.clear()
    validators.set(key, validator)
  }
  return validator
}

/** The arguments as an object, or why they are not acceptable (for the model to correct). */
export function checkArguments(
  tool: Pick<ToolDefinition, 'parameters'>,
  text: string,
): { args: Record<string, unknown> } | { error: string } {
  let args: unknown
  try {
    args = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return { error: 'the arguments are not valid JSON' }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { error: 'the arguments must be a JSON object' }
  const validate = validatorFor(tool.parameters)
  if (validate instanceof Error) return { error: `the tool's schema cannot be checked: ${validate.message}` }
  const checked = validate(args)
  if (!checked.valid) return { error: `the arguments do not match the tool's schema: ${checked.errorMessage}` }
  return { args: args as Record<string, unknown> }
}

/** `text` cut to `max` characters, saying so, so the model knows it read only part. */
export function capResult(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, max)}\n[… cut: ${text.length - max} more characters]`
}

class ToolTimeout extends Error {
  override readonly name = 'ToolTimeout'
}

/**
 * Runs `tool.run`, given up after `timeoutMs` or as soon as `signal` aborts (the prompt was
 * cancelled): the wait ends first, then the tool's own signal is aborted, so a tool that answers
 * its abort cannot pass for one that answered in time.
 */
async function withTimeout(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ToolOutcome> {
  const abort = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      reject(reason)
      abort.abort(reason)
    }
    timer = setTimeout(() => stop(new ToolTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs)
    onAbort = () => stop(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([tool.run(args, { timeoutMs, signal: abort.signal }), stopped])
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort!)
  }
}

/**
 * Runs one call the model made: unknown tools and arguments that do not fit the schema are
 * answered with the reason (the model may correct itself); the tool runs with a timeout and its
 * result is cut to the size cap. Never throws for the tool's own failure: the model hears it.
 * An abort of `signal` (the prompt was cancelled or timed out) is thrown.
 */
export async function runToolCall(
  tool: ToolDefinition | undefined,
  call: ModelToolCall,
  limits: Pick<ToolLimits, 'timeoutMs' | 'maxResultChars'>,
  signal: AbortSignal,
): Promise<FinishedToolCall> {
  const started = Date.now()
  const finish = (status: RecordedToolCall['status'], content: string, final?: string): FinishedToolCall => ({
    record: {
      id: call.id,
      tool: call.function.name,
      server: tool?.server ?? '',
      arguments: call.function.arguments.slice(0, 20_000),
      status,
      result: content,
      ms: Date.now() - started,
    },
    content,
    ...(final !== undefined ? { final } : {}),
  })
  if (!tool) return finish('unknown_tool', JSON.stringify({ error: `there is no tool named ${call.function.name}` }))
  const checked = checkArguments(tool, call.function.arguments)
  if ('error' in checked) return finish('invalid_arguments', JSON.stringify({ error: checked.error }))
  try {
    const outcome = await withTimeout(tool, checked.args, limits.timeoutMs, signal)
    const text = capResult(outcome.text, limits.maxResultChars)
    return outcome.isError ? finish('error', JSON.stringify({ error: text || 'the tool failed' })) : finish('ok', text, outcome.final)
  } catch (error) {
    signal.throwIfAborted()
    if (error instanceof ToolTimeout)
      return finish('timeout', JSON.stringify({ error: `${tool.name} did not answer within ${limits.timeoutMs / 1000} s` }))
    const message = error instanceof Error ? error.message : String(error)
    return finish('error', JSON.stringify({ error: capResult(message, 500) }))
  }
}
