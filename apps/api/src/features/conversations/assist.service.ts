import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { ChatMessage } from '@chorus/protocol'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import { UpstreamFailed } from '../../http/http-errors.js'
import type { ConversationsRepository } from './conversations.repository.js'

const summaryInstruction =
  'You help a customer-service agent who is taking over this conversation from a chatbot. In two or three sentences, in the language the user writes in, say what the user wants, why they need a person, and what the bot already tried. Facts from the conversation only.'
const suggestionInstruction =
  'You help a customer-service agent. Propose three different short replies the agent could send next, in the language the user writes in, one per line, without numbering. Polite, concrete, no promises the company might not keep.'

/**
 * Agent assist (docs/handoff.md): the handoff summary and suggested replies, written by the
 * pool's model at the highest priority. The agent always edits before anything is sent.
 */
export class AssistService {
  constructor(
    private readonly repo: ConversationsRepository,
    private readonly dispatcher: Dispatcher,
    private readonly replies: ReplyReader,
    private readonly options: { timeoutMs: number; maxTokens: number },
    private readonly logger: Logger,
  ) {}

  async summarize(conversationId: string): Promise<string> {
    const summary = (await this.generate(conversationId, summaryInstruction)).trim()
    await this.repo.saveSummary(conversationId, summary)
    return summary
  }

  async suggest(conversationId: string): Promise<string[]> {
    const text = await this.generate(conversationId, suggestionInstruction)
    return text
      .split('\n')
      .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)、])\s*/, '').trim())
      .filter((line) => line.length > 0)
      .slice(0, 3)
  }

  private async generate(conversationId: string, instruction: string): Promise<string> {
    const history = (await this.repo.transcript(conversationId)).reverse()
    const transcript = history
      .map(
        (m) =>
          `${m.role === 'user' ? `User${m.authorUser?.displayName ? ` (${m.authorUser.displayName})` : ''}` : m.role === 'agent' ? 'Agent' : 'Bot'}: ${m.text}`,
      )
      .join('\n')
    const messages: ChatMessage[] = [
      { role: 'system', content: instruction },
      { role: 'user', content: transcript || '(no messages yet)' },
    ]
    const jobId = `assist-${randomUUID()}`
    await this.dispatcher.dispatch(
      jobId,
      {
        origin: { kind: 'api', apiKeyId: 'agent-assist' },
        messages,
        maxTokens: this.options.maxTokens,
        enqueuedAt: Date.now(),
        routing: { fairnessKey: 'agent-assist', priorityClass: 'agent_assist' },
      },
      { force: true },
    )
    for await (const event of this.replies.read(jobId, { timeoutMs: this.options.timeoutMs })) {
      if (event.type === 'done') return event.text
      if (event.type === 'error') {
        this.logger.warn({ conversationId, code: event.code }, 'agent assist failed')
        throw new UpstreamFailed('the model could not help with this right now')
      }
    }
    throw new UpstreamFailed('the model could not help with this right now')
  }
}
