import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { BotDirectory } from '@chorus/conversation'
import type { KnowledgeSearch } from '@chorus/knowledge'
import type { ChatMessage } from '@chorus/protocol'
import type { Dispatcher, ReplyReader } from '@chorus/pool'
import { UpstreamFailed } from '../../http/http-errors.js'
import { assistModel } from './assist-model.js'
import type { ConversationsRepository } from './conversations.repository.js'
import { extractiveSummary } from './extractive-summary.js'
import { knowledgeSuggestions } from './knowledge-suggestions.js'
import { openQuestions, userQuestions } from './user-questions.js'

const summaryInstruction =
  'You help a customer-service agent who is taking over this conversation from a chatbot. In two or three sentences, in the language the user writes in, say what the user wants, why they need a person, and what the bot already tried. Facts from the conversation only.'
const suggestionInstruction =
  'You help a customer-service agent. Propose three different short replies the agent could send next, in the language the user writes in, one per line, without numbering. Polite, concrete, no promises the company might not keep.'

/** The handoff summary and who wrote it. */
export interface AssistSummary {
  summary: string
  source: 'model' | 'extractive'
}

/** Suggested replies and where they come from; `sources` (from the knowledge base only) matches them one to one. */
export interface AssistSuggestions {
  suggestions: string[]
  source: 'model' | 'knowledge'
  sources?: Array<{ document: string; question: string | null }>
  /** No model, and the knowledge base has nothing for the user's open questions. */
  needsModel?: boolean
}

/**
 * Agent assist (docs/handoff.md): the handoff summary and suggested replies, written by a model
 * of the pool at the highest priority. When no live replica has a model (the pool runs only the
 * knowledge answerer, or nothing), the summary is extracted from the conversation and the
 * suggestions come from the bot's knowledge base. The agent always edits before anything is sent.
 */
export class AssistService {
  constructor(
    private readonly repo: ConversationsRepository,
    private readonly bots: Pick<BotDirectory, 'get'>,
    private readonly knowledge: Pick<KnowledgeSearch, 'search'>,
    private readonly dispatcher: Dispatcher,
    private readonly replies: ReplyReader,
    private readonly options: { timeoutMs: number; maxTokens: number },
    private readonly logger: Logger,
  ) {}

  /** Whether a live replica serves a model that agent assist can use. */
  async modelAvailable(): Promise<boolean> {
    return assistModel(await this.dispatcher.registry.live(), '') !== null
  }

  async summarize(conversationId: string): Promise<AssistSummary> {
    const { bot, handoffReason } = await this.conversation(conversationId)
    const model = await this.model(conversationId, bot.model)
    const result: AssistSummary =
      model === null
        ? {
            summary: extractiveSummary(
              userQuestions(await this.repo.questionHistory(conversationId)),
              handoffReason,
              bot.settings.language,
            ),
            source: 'extractive',
          }
        : { summary: (await this.generate(conversationId, summaryInstruction, model)).trim(), source: 'model' }
    await this.repo.saveSummary(conversationId, result.summary, result.source)
    return result
  }

  async suggest(conversationId: string): Promise<AssistSuggestions> {
    const { bot } = await this.conversation(conversationId)
    const model = await this.model(conversationId, bot.model)
    if (model === null) {
      const questions = openQuestions(await this.repo.questionHistory(conversationId))
      const found = await knowledgeSuggestions(
        (query, k) => this.knowledge.search(bot.id, query, k),
        questions,
        bot.settings.knowledge.minScore,
      )
      return {
        suggestions: found.map((s) => s.text),
        source: 'knowledge',
        sources: found.map(({ document, question }) => ({ document, question })),
        ...(found.length === 0 ? { needsModel: true } : {}),
      }
    }
    const text = await this.generate(conversationId, suggestionInstruction, model)
    const suggestions = text
      .split('\n')
      .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)、])\s*/, '').trim())
      .filter((line) => line.length > 0)
      .slice(0, 3)
    return { suggestions, source: 'model' }
  }

  private async conversation(conversationId: string) {
    const { botId, handoffReason } = await this.repo.assistContext(conversationId)
    return { bot: await this.bots.get(botId), handoffReason }
  }

  /** The model to ask, read from the replicas' latest heartbeats (docs/pool.md); null: the pool has none. */
  private async model(conversationId: string, preferred: string): Promise<string | null> {
    const model = assistModel(await this.dispatcher.registry.live(), preferred)
    if (model === null) this.logger.debug({ conversationId }, 'no model in the pool: agent assist works without one')
    return model
  }

  private async generate(conversationId: string, instruction: string, model: string): Promise<string> {
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
        // Routed by model name, so only a replica of that model, never a knowledge answerer, runs it.
        model,
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
