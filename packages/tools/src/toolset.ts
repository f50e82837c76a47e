import type { ToolCallStatus } from '@chorus/protocol'

/** What running a tool gave back. */
export interface ToolOutcome {
  /** For the model: the result, or what went wrong. */
  text: string
  isError: boolean
  /**
   * Ends the answer here with this reply from Chorus itself, the model not asked again (the
   * handoff tool: the user is told a person is coming).
   */
  final?: string
}

/** A tool the model may call while answering for a bot: an allowed MCP server tool or a built-in one. */
export interface ToolDefinition {
  /** The name the model calls it by. */
  name: string
  description: string
  /** JSON Schema of its arguments. */
  parameters: Record<string, unknown>
  /** The MCP server's name, or `builtin`. */
  server: string
  /** The user must say yes before it runs. */
  confirm: boolean
  run(args: Record<string, unknown>, options: { timeoutMs: number; signal: AbortSignal }): Promise<ToolOutcome>
}

/** How far a tool loop may go (a bot's `tools` settings). */
export interface ToolLimits {
  /** Model calls per answer; the last one is offered no tools, so it answers in words. */
  maxSteps: number
  timeoutMs: number
  maxResultChars: number
}

/** A call that waits for the user's yes before it runs (kept with the reply that asked). */
export interface PendingToolCall {
  id: string
  tool: string
  server: string
  /** JSON text, as the model wrote it. */
  arguments: string
}

/** The tools offered for one answer, with their limits. */
export class Toolset {
  private readonly byName: Map<string, ToolDefinition>

  constructor(
    readonly tools: ToolDefinition[],
    readonly limits: ToolLimits,
  ) {
    this.byName = new Map(tools.map((tool) => [tool.name, tool]))
  }

  get(name: string): ToolDefinition | undefined {
    return this.byName.get(name)
  }

  get size(): number {
    return this.tools.length
  }

  /** The tools as an OpenAI request lists them. */
  openAITools(): Array<{ type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }> {
    return this.tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }))
  }
}

/** Statuses that mean the tool did not give a usable result. */
export const failedStatuses: ReadonlySet<ToolCallStatus> = new Set(['error', 'timeout', 'invalid_arguments', 'unknown_tool'])
