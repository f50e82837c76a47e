import type { ChatCompletionRequest, OpenAIMessage, RecordedToolCall } from '@chorus/protocol'
import { RequestRefused, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from '@chorus/llm'
import { checkArguments, runToolCall, type ModelToolCall } from './tool-call.js'
import type { PendingToolCall, Toolset } from './toolset.js'

export interface ToolLoopInput {
  engine: Engine
  /** The prompt as the pool would send it without tools (messages, limits, signal). */
  request: GenerateRequest
  toolset: Toolset
  /**
   * Told as the model writes (empty chunks: the replica's first-token clock stops). The text is
   * not passed on: a step may write some before its tool calls, and only the last step's text is
   * the answer, which the caller sends whole.
   */
  onChunk(chunk: GenerateChunk): void
  /** A call the user has just confirmed: it runs first and the model reads its result. */
  confirmed?: PendingToolCall
  /** Told of each call as it ends (the audit log). */
  onCall?(call: RecordedToolCall): Promise<void> | void
}

export interface ToolLoopResult {
  /** The model's last answer (its text is the reply), token counts summed over the steps. */
  result: GenerateResult
  calls: RecordedToolCall[]
  /** The loop stopped at a call that needs the user's yes. */
  pending?: PendingToolCall
  /** A tool ended the answer with this reply of Chorus's own. */
  final?: string
}

interface AssistantTurn {
  content: string | null
  toolCalls: ModelToolCall[]
}

/** The assistant message of the last step: its text and tool calls (the first choice's). */
function turnOf(result: GenerateResult): AssistantTurn {
  const message = result.choices?.[0]?.message as
    { content: string | null; tool_calls?: Array<ModelToolCall & { type?: string }> } | undefined
  const toolCalls = (message?.tool_calls ?? []).filter((call) => call.function && typeof call.function.name === 'string')
  return { content: message?.content ?? (result.text || null), toolCalls }
}

/**
 * Answers with tools, on this one replica (its prefix cache holds the growing prompt): the model
 * is asked, each tool call it makes is checked and run, the results go back to it, and again,
 * up to the step limit, whose last step offers no tools so the model answers in words. A call
 * that needs the user's confirmation stops the loop there, unrun.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult> {
  const { engine, request, toolset } = input
  const signal = request.signal ?? new AbortController().signal
  const messages: OpenAIMessage[] = request.messages.map((message) => ({ ...message }) as OpenAIMessage)
  const calls: RecordedToolCall[] = []
  let promptTokens = 0
  let completionTokens = 0
  const run = async (call: ModelToolCall, tool = toolset.get(call.function.name)): Promise<{ content: string; final?: string }> => {
    const finished = await runToolCall(tool, call, toolset.limits, signal)
    calls.push(finished.record)
    await input.onCall?.(finished.record)
    return finished
  }

  if (input.confirmed) {
    const call = { id: input.confirmed.id, function: { name: input.confirmed.tool, arguments: input.confirmed.arguments } }
    messages.push({ role: 'assistant', content: null, tool_calls: [{ ...call, type: 'function' }] })
    // The tool the user said yes to, on the server they said yes to: one renamed or moved since is not run.
    const tool = toolset.get(call.function.name)
    // The replica has not been asked yet: its first-token clock waits for the tool, not for it.
    input.onChunk({ text: '' })
    const finished = await run(call, tool?.server === input.confirmed.server ? tool : undefined)
    if (finished.final !== undefined) return { result: answered(finished.final, 0, 0), calls, final: finished.final }
    messages.push({ role: 'tool', tool_call_id: call.id, content: finished.content })
  }

  // An engine that cannot take these tools (a local model whose grammar cannot express a tool's
  // schema) answers without them rather than not at all.
  let toolsRefused = false
  for (let step = 1; ; step++) {
    const offerTools = step < toolset.limits.maxSteps && toolset.size > 0 && !toolsRefused
    const openai = {
      model: engine.model,
      messages,
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(offerTools ? { tools: toolset.openAITools(), tool_choice: 'auto' } : {}),
    } as ChatCompletionRequest
    let result: GenerateResult
    try {
      result = await engine.generate({ ...request, openai }, () => input.onChunk({ text: '' }))
    } catch (error) {
      // A server started without tool calling (vLLM without --enable-auto-tool-choice) refuses with a message, not a param.
      const aboutTools =
        error instanceof RequestRefused &&
        (error.param === 'tools' || error.param === 'tool_choice' || (!error.param && /tool/i.test(error.message)))
      if (!offerTools || !aboutTools) throw error
      toolsRefused = true
      step--
      continue
    }
    promptTokens += result.promptTokens
    completionTokens += result.completionTokens
    const turn = turnOf(result)
    if (!offerTools || turn.toolCalls.length === 0) return { result: { ...result, promptTokens, completionTokens }, calls }
    // A call that needs the user's yes is asked about only with arguments that fit its schema;
    // the others are run (and refused with the reason) like any call.
    const needsYes = turn.toolCalls.find((call) => {
      const tool = toolset.get(call.function.name)
      return tool?.confirm && !('error' in checkArguments(tool, call.function.arguments))
    })
    if (needsYes) {
      const tool = toolset.get(needsYes.function.name)!
      const pending = { id: needsYes.id, tool: tool.name, server: tool.server, arguments: needsYes.function.arguments }
      calls.push({ ...pending, status: 'awaiting_confirmation', result: '', ms: 0 })
      return { result: { ...result, promptTokens, completionTokens }, calls, pending }
    }
    messages.push({
      role: 'assistant',
      content: turn.content,
      tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: call.function })),
    })
    // The calls of one step run together (a model asks for independent look-ups at once).
    const results = await Promise.all(turn.toolCalls.map((call) => run(call)))
    const final = results.find((finished) => finished.final !== undefined)?.final
    if (final !== undefined) return { result: answered(final, promptTokens, completionTokens), calls, final }
    turn.toolCalls.forEach((call, i) => messages.push({ role: 'tool', tool_call_id: call.id, content: results[i]!.content }))
  }
}

function answered(text: string, promptTokens: number, completionTokens: number): GenerateResult {
  return { text, promptTokens, completionTokens, finishReason: 'stop' }
}
