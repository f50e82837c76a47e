import type { ChannelKind } from '@chorus/db'
import type { PriorityClass, PromptJobInput } from '@chorus/protocol'

// Channels where a business serves its customers: their questions go before private chats'.
const customerService = new Set<ChannelKind>(['miniprogram', 'wecom_kf'])

/** A stored question the bot answers with the model. */
export interface StoredQuestion {
  conversationId: string
  messageId: bigint
  channelKind: ChannelKind
  channelId: string
  botId: string
  /** The asker (a group's fairness is per group, a private chat's per person). */
  userId: string
}

/**
 * The pool job that answers a stored question. It carries no messages: the prompt is built from
 * the conversation's history when the job starts.
 */
export function conversationPrompt(question: StoredQuestion, options: { maxTokens: number; model: string }): PromptJobInput {
  const group = question.channelKind === 'wechat_group'
  const priorityClass: PriorityClass = group
    ? 'group_chat'
    : customerService.has(question.channelKind)
      ? 'customer_service'
      : 'private_chat'
  return {
    origin: {
      kind: 'conversation',
      conversationId: question.conversationId,
      messageId: String(question.messageId),
      channelKind: question.channelKind,
      botId: question.botId,
    },
    maxTokens: options.maxTokens,
    model: options.model,
    enqueuedAt: Date.now(),
    // A WeChat chat's reply reaches it from PostgreSQL through the outbox: nobody reads a stream.
    replyStream: !question.channelKind.startsWith('wechat_'),
    routing: {
      conversationKey: question.conversationId,
      fairnessKey: group ? `channel:${question.channelId}` : `user:${question.userId}`,
      priorityClass,
    },
  }
}
