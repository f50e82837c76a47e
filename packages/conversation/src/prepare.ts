import { botSettings, type PromptJob } from '@chorus/protocol'
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
    const settings = botSettings.safeParse(conversation.bot.settings ?? {})
    const { contextExpiryMinutes = 0, groupPersonas = {} } = settings.success ? settings.data : {}
    // History starts at the last /reset, and no earlier than the expiry window.
    const expiry = contextExpiryMinutes > 0 ? new Date(Date.now() - contextExpiryMinutes * 60_000) : null
    const reset = conversation.contextResetAt
    const since = reset && expiry ? (reset > expiry ? reset : expiry) : (reset ?? expiry)
    const history = await this.repo.history(job.origin.conversationId, since, latest.id)
    const messages = buildContext({
      persona: groupPersonas[conversation.channel.title] || conversation.bot.persona,
      history,
      budgetTokens: this.settings.contextTokens - this.settings.maxReplyTokens,
      namedSpeakers: conversation.channel.kind === 'wechat_group',
    })
    return { messages, replyTo: String(latest.id) }
  }
}
