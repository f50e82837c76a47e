import type { Logger } from 'pino'
import type { Prisma } from '@chorus/db'
import type { PriorityClass } from '@chorus/protocol'
import { PoolBusy, type Dispatcher, type RateLimit, type RateLimiter } from '@chorus/pool'
import type { ConversationRepository } from './conversation.repository.js'
import { busyNotice, type ReplyService } from './reply.js'
import { botMayAnswer } from './state-machine.js'
import type { InboundMessage, IngestOutcome } from './types.js'

export interface IngestSettings {
  maxReplyTokens: number
  /** Prompts one person may ask per minute (burst = capacity). */
  userRate: RateLimit
  /** Prompts one group may ask per minute, all members together. */
  groupRate: RateLimit
}

/** The prompt job for an inbound message; one id per message makes queuing idempotent. */
export function promptJobId(messageId: bigint): string {
  return `m-${messageId}`
}

/**
 * Records inbound messages and queues the prompts the bot should answer. A message is stored
 * before anything else happens; a re-delivered message is never answered twice.
 */
export class IngestService {
  private readonly ids = new Map<string, string>()

  constructor(
    private readonly repo: ConversationRepository,
    private readonly dispatcher: Dispatcher,
    private readonly replies: ReplyService,
    private readonly limiter: RateLimiter,
    private readonly settings: IngestSettings,
    private readonly logger: Logger,
  ) {}

  async ingest(input: InboundMessage): Promise<IngestOutcome> {
    const bot = await this.repo.findBot(input.botId)
    if (!bot) throw new Error(`unknown bot ${input.botId}`)
    const channelId = await this.cached(`c:${input.botId}:${input.channel.kind}:${input.channel.externalId}`, async () => {
      const channel = await this.repo.ensureChannel(input.botId, input.channel.kind, input.channel.externalId, input.channel.title ?? '')
      return channel.id
    })
    const userId = await this.cached(`u:${input.sender.platform}:${input.sender.platformId}`, async () => {
      const user = await this.repo.ensureEndUser(input.sender.platform, input.sender.platformId, input.sender.displayName)
      return user.id
    })
    const shared = input.channel.kind === 'wechat_group' && input.scope === 'group'
    const conversation = await this.repo.openConversation({
      botId: input.botId,
      channelId,
      scopeKey: shared ? '*' : userId,
      endUserId: shared ? null : userId,
    })
    const stored = await this.repo.insertInbound({
      conversationId: conversation.id,
      channelId,
      authorUserId: userId,
      platformMessageId: input.platformMessageId,
      text: input.text,
      meta: (input.meta ?? {}) as Prisma.InputJsonValue,
    })
    const outcome = { messageId: stored.id, conversationId: stored.conversationId }
    const log = this.logger.child({ conversationId: stored.conversationId, messageId: String(stored.id) })
    // A re-delivery of a message we stored but never got to queue (a crash in between) goes on.
    if (stored.duplicate && stored.status !== 'received') {
      log.info('duplicate inbound message ignored')
      return { kind: 'duplicate', ...outcome }
    }

    const reason = !bot.enabled
      ? 'bot disabled'
      : !botMayAnswer(conversation.state)
        ? `conversation is ${conversation.state}`
        : !input.addressed
          ? 'not addressed'
          : undefined
    if (reason) {
      await this.repo.setStatus(stored.id, 'ignored')
      log.debug({ reason }, 'not answering')
      return { kind: 'ignored', ...outcome, reason }
    }

    const group = input.channel.kind === 'wechat_group'
    const target = { conversationId: stored.conversationId, channelKind: input.channel.kind, botId: input.botId, replyToId: stored.id }
    const limited = await this.rateLimited(userId, group ? channelId : undefined)
    if (limited) {
      // One honest notice per person and window; further messages in it are stored, not answered.
      const retryAfterSeconds = Math.max(1, Math.ceil(limited / 1000))
      if (await this.limiter.firstInWindow(`notice:${userId}`, limited))
        await this.replies.recordNotice(target, busyNotice(retryAfterSeconds), 'rate_limited')
      await this.repo.setStatus(stored.id, 'refused')
      log.info({ retryAfterSeconds }, 'rate limited')
      return { kind: 'busy', ...outcome, retryAfterSeconds }
    }

    const jobId = promptJobId(stored.id)
    const priorityClass: PriorityClass = group ? 'group_chat' : input.channel.kind === 'miniprogram' ? 'customer_service' : 'private_chat'
    // Mark it queued first: the job may start (and look for queued messages) before dispatch returns.
    await this.repo.setStatus(stored.id, 'queued')
    try {
      await this.dispatcher.dispatch(jobId, {
        origin: {
          kind: 'conversation',
          conversationId: stored.conversationId,
          messageId: String(stored.id),
          channelKind: input.channel.kind,
          botId: input.botId,
        },
        maxTokens: this.settings.maxReplyTokens,
        enqueuedAt: Date.now(),
        routing: { conversationKey: stored.conversationId, fairnessKey: group ? `channel:${channelId}` : `user:${userId}`, priorityClass },
      })
    } catch (error) {
      if (error instanceof PoolBusy) {
        await this.replies.recordNotice(target, busyNotice(error.retryAfterSeconds), 'busy')
        await this.repo.setStatus(stored.id, 'refused')
        log.warn({ retryAfterSeconds: error.retryAfterSeconds }, 'pool busy: prompt refused')
        return { kind: 'busy', ...outcome, retryAfterSeconds: error.retryAfterSeconds }
      }
      await this.repo.setStatus(stored.id, 'received')
      throw error
    }
    log.info({ jobId }, 'prompt queued')
    return { kind: 'queued', ...outcome, jobId }
  }

  /** Ms until the user (and the group) may ask again, or 0 when within their rates. */
  private async rateLimited(userId: string, channelId: string | undefined): Promise<number> {
    const user = await this.limiter.take(`user:${userId}`, this.settings.userRate)
    if (!user.allowed) return user.retryAfterMs
    if (!channelId) return 0
    const group = await this.limiter.take(`channel:${channelId}`, this.settings.groupRate)
    return group.allowed ? 0 : group.retryAfterMs
  }

  private async cached(key: string, load: () => Promise<string>): Promise<string> {
    const hit = this.ids.get(key)
    if (hit) return hit
    const value = await load()
    if (this.ids.size > 50_000) this.ids.clear()
    this.ids.set(key, value)
    return value
  }
}
