import type { PromptJob } from '@chorus/protocol'
import type { PreparedPrompt } from '@chorus/pool'
import { buildContext } from './context.js'
import type { ConversationRepository } from './conversation.repository.js'
import { botMayAnswer } from './state-machine.js'

export interface PrepareSettings {
  contextTokens: number
  maxReplyTokens: number
}

/**
 * Builds a conversation's prompt when its job starts, not when it was queued: a user who wrote
 * again in the meantime gets one answer to the latest state. Returns null when nothing is left
 * to answer (already answered, or a person took the conversation over).
 */
export class PromptPreparer {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly settings: PrepareSettings,
  ) {}

  async prepare(job: PromptJob): Promise<PreparedPrompt | null> {
    if (job.origin.kind === 'api') return { messages: job.messages }
    const conversation = await this.repo.findConversationForPrompt(job.origin.conversationId)
    if (!conversation || !conversation.bot.enabled || !botMayAnswer(conversation.state)) return null
    const latest = await this.repo.latestQueued(job.origin.conversationId)
    if (!latest) return null
    const history = await this.repo.history(job.origin.conversationId, conversation.contextResetAt, latest.id)
    const messages = buildContext({
      persona: conversation.bot.persona,
      history,
      budgetTokens: this.settings.contextTokens - this.settings.maxReplyTokens,
      namedSpeakers: conversation.channel.kind === 'wechat_group',
    })
    return { messages, replyTo: String(latest.id) }
  }
}
