import type { Logger } from 'pino'
import type { PromptJob } from '@chorus/protocol'
import type { RedisKeys, Redis } from '@chorus/pool'
import type { ConversationRepository } from './conversation.repository.js'

/** The outbox a channel's delivery process reads: one per bot for WeChat, one per kind otherwise. */
export function outboxName(origin: Extract<PromptJob['origin'], { kind: 'conversation' }>): string {
  return origin.channelKind === 'wechat_group' || origin.channelKind === 'wechat_private' ? `wechat:${origin.botId}` : origin.channelKind
}

export const failureNotice = '抱歉，我暂时无法回答，请稍后再试。(Sorry, I cannot answer right now; please try again later.)'

/** Stores finished replies (once) and tells the channel's delivery process about them. */
export class ReplyService {
  constructor(
    private readonly repo: ConversationRepository,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  async recordReply(
    job: PromptJob,
    result: { text: string; promptTokens: number; completionTokens: number },
    meta: Record<string, string | boolean> = {},
  ): Promise<void> {
    if (job.origin.kind !== 'conversation') return
    const origin = job.origin
    const reply = await this.repo.insertReply({
      conversationId: origin.conversationId,
      replyToId: BigInt(origin.messageId),
      text: result.text,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      meta,
    })
    // Announced even when the reply already existed: the first announcement may have been lost
    // in a crash. Delivery claims each reply once, so a second announcement sends nothing.
    await this.redis.xadd(this.keys.outbox(outboxName(origin)), 'MAXLEN', '~', '100000', '*', 'reply', String(reply.id))
    this.logger.debug({ conversationId: origin.conversationId, replyId: String(reply.id), created: reply.created }, 'reply stored')
  }

  /** Answers a prompt the model could not answer with one clear notice, delivered like a reply. */
  async recordFailure(job: PromptJob, error: Error): Promise<void> {
    if (job.origin.kind !== 'conversation') return
    this.logger.warn({ conversationId: job.origin.conversationId, messageId: job.origin.messageId, err: error.message }, 'prompt failed')
    await this.recordReply(job, { text: failureNotice, promptTokens: 0, completionTokens: 0 }, { failure: true })
    await this.repo.setStatus(BigInt(job.origin.messageId), 'failed')
  }
}
