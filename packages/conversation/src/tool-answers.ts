import type { BotSettings, RecordedToolCall } from '@chorus/protocol'
import type { Engine, GenerateChunk, GenerateRequest, GenerateResult } from '@chorus/llm'
import { runToolLoop, type PendingToolCall, type Toolset } from '@chorus/tools'
import { t } from './i18n.js'

/** Where a bot's tools come from (packages/tools, wired by the worker). */
export interface ToolSource {
  /**
   * The tools a prompt of `botId` may call; null when it has none. Without a conversation (the
   * panel's test chat) there is none to hand over: no handoff tool.
   */
  toolset(target: { botId: string; conversationId?: string; questionId?: string }, settings: BotSettings['tools']): Promise<Toolset | null>
  /** Records a call in the audit log as it ends. */
  audit(target: { botId: string; conversationId?: string }, call: RecordedToolCall): Promise<void>
  /** A bot's settings (for a prompt that does not read them with its conversation: the panel's test chat); null: no such bot. */
  settingsOf(botId: string): Promise<BotSettings | null>
}

/** What a tool loop leaves for its reply's record (`meta`) and for the worker. */
export interface ToolAnswerRecord {
  toolCalls?: RecordedToolCall[]
  /** The reply asks the user to confirm this call. */
  pendingTool?: PendingToolCall
  /** A tool handed the conversation to a person: the reply is Chorus's notice saying so. */
  handedOver?: true
}

// A confirmation the user answers later than this is stale: their message is a new question.
const confirmationValidMs = 30 * 60_000

/** "是", "好的", "yes", "OK!" … : the user says yes to a confirmation. */
export function isYes(text: string): boolean {
  return /^\s*(是|是的|好|好的|确认|确定|可以|对|行|yes|y|ok|okay|sure|confirm)\s*[!！。.]*\s*$/i.test(text)
}

/**
 * A call the bot's last reply asked the user to confirm, with that reply's id: when the question
 * now answered is the very next message, is recent enough, and comes from whoever the bot asked
 * (in a group, another member's "是" confirms nothing); else null.
 */
export function pendingConfirmation(
  history: ReadonlyArray<{ id?: string; role: string; author: string | null; authorId?: string | null; pendingTool?: unknown; at: number }>,
  now: number = Date.now(),
): { call: PendingToolCall; askedId: string } | null {
  const lastUser = history.length - 1
  const asked = history[lastUser - 1]
  const asker = history[lastUser - 2]
  const answer = history[lastUser]
  const pending = asked?.pendingTool as Partial<PendingToolCall> | undefined
  if (!answer || answer.role !== 'user' || !asked || asked.role === 'user' || !pending || !asked.id) return null
  if (now - asked.at > confirmationValidMs || asker?.role !== 'user') return null
  const sameUser = asker.authorId && answer.authorId ? asker.authorId === answer.authorId : asker.author === answer.author
  if (!sameUser) return null
  const { id, tool, server, arguments: args } = pending
  return typeof id === 'string' && typeof tool === 'string' && typeof server === 'string' && typeof args === 'string'
    ? { call: { id, tool, server, arguments: args }, askedId: asked.id }
    : null
}

/** The arguments as the user reads them: `order_id: A1024, date: 2027-01-15`. */
function readableArguments(text: string): string {
  try {
    const args = JSON.parse(text) as Record<string, unknown>
    return Object.entries(args)
      .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ')
      .slice(0, 300)
  } catch {
    return text.slice(0, 300)
  }
}

/**
 * The engine call of a prompt whose bot has tools: the tool loop (packages/tools), its calls
 * kept in `record` for the reply's meta. A call that needs the user's yes ends the answer with
 * the question; a tool that hands the conversation over ends it with that notice; an answer
 * left empty (the model gave up after failing tools) is an honest apology, never silence.
 */
export function toolAnswer(input: {
  toolset: Toolset
  source: ToolSource
  target: { botId: string; conversationId?: string }
  language: BotSettings['language']
  /** The call the user just confirmed. */
  confirmed?: PendingToolCall
  /** A confirmation the user did not give. */
  declined?: PendingToolCall
  record: ToolAnswerRecord
}): (engine: Engine, request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void) => Promise<GenerateResult> {
  return async (engine, request, onChunk) => {
    const declined: RecordedToolCall[] = input.declined ? [{ ...input.declined, status: 'declined', result: '', ms: 0 }] : []
    // Each call's audit entry is written while the model reads its result; all are settled before
    // the reply is stored (the source logs a failed write: the answer does not fail for it).
    const audits: Array<Promise<void>> = []
    const loop = await runToolLoop({
      engine,
      request,
      toolset: input.toolset,
      onChunk,
      ...(input.confirmed ? { confirmed: input.confirmed } : {}),
      onCall: (call) => {
        const audit = input.source.audit(input.target, call)
        // Handled at once (awaited below): a failed write must not count as an unhandled rejection meanwhile.
        audit.catch(() => undefined)
        audits.push(audit)
      },
    }).finally(() => Promise.allSettled(audits))
    const calls = [...declined, ...loop.calls]
    if (calls.length > 0) input.record.toolCalls = calls
    const result = calls.length > 0 ? { ...loop.result, toolCalls: calls } : loop.result
    const answer = (() => {
      if (loop.pending) {
        input.record.pendingTool = loop.pending
        const text = t('toolConfirm', input.language, { tool: loop.pending.tool, args: readableArguments(loop.pending.arguments) })
        return { ...result, text, finishReason: 'stop' }
      }
      if (loop.final !== undefined) {
        input.record.handedOver = true
        return { ...result, text: loop.final }
      }
      return result.text.trim() ? result : { ...result, text: t('toolNoAnswer', input.language) }
    })()
    // The loop streams no text (a step's words before its tool calls are no answer): a reader
    // (the mini-program, the test chat) gets the answer whole, exactly as it is stored.
    onChunk({ text: answer.text })
    return answer
  }
}
