import type { Logger } from 'pino'
import type { HandoffService, LiveEvents } from '@chorus/conversation'
import type { ConversationKeys } from '@chorus/conversation'
import { SharedSchedule, type RedisClient } from '@chorus/redis'
import type { AssistService } from './assist.service.js'
import type { ConversationsRepository } from './conversations.repository.js'

/**
 * Every few seconds: gives waiting conversations to agents who have room (covers agents freeing
 * a slot, coming back from away, a process that died mid-assignment), and writes the handoff
 * summary of conversations that lack one, or have only one written without a model when the
 * pool has a model now. One sweep per interval across the API processes (a BullMQ job
 * scheduler); one summary per conversation across them (a Redis lock).
 */
export class HandoffSweeper {
  private readonly schedule: SharedSchedule
  private readonly summarizing = new Set<string>()

  constructor(
    private readonly deps: {
      handoff: HandoffService
      assist: AssistService
      conversations: ConversationsRepository
      live: LiveEvents
      redis: RedisClient
      keys: ConversationKeys
      logger: Logger
      intervalMs: number
    },
  ) {
    this.schedule = new SharedSchedule({
      redis: deps.redis,
      prefix: deps.keys.bullPrefix,
      name: 'handoff-sweep',
      everyMs: deps.intervalMs,
      work: () => this.sweep(),
      onError: (error) => deps.logger.error({ err: error }, 'handoff sweep failed'),
    })
  }

  start(): Promise<void> {
    return this.schedule.start()
  }

  stop(): Promise<void> {
    return this.schedule.stop()
  }

  async sweep(): Promise<void> {
    await this.deps.handoff.assignWaiting()
    // A summary written without a model is written again once the pool has one.
    const replaceExtractive = await this.deps.assist.modelAvailable()
    for (const { id } of await this.deps.conversations.needingSummary({ replaceExtractive })) this.summarize(id)
  }

  private summarize(conversationId: string): void {
    if (this.summarizing.has(conversationId)) return
    this.summarizing.add(conversationId)
    const lock = this.deps.keys.rateLimit(`summary:${conversationId}`)
    const work = async () => {
      // One summary per handoff across API processes; a failed one is tried again after a minute.
      if (!(await this.deps.redis.set(lock, '1', 'EX', 60, 'NX'))) return
      await this.deps.assist.summarize(conversationId)
      // Written: one written without a model may be replaced as soon as the pool has a model.
      await this.deps.redis.del(lock)
      const conversation = await this.deps.conversations.summary(conversationId)
      await this.deps.live.publish({
        type: 'conversation',
        id: conversationId,
        state: conversation.state,
        assigneeId: conversation.assignee?.id ?? null,
        botId: conversation.bot.id,
        teamId: conversation.teamId,
      })
    }
    work()
      .catch((error: unknown) => this.deps.logger.warn({ err: error, conversationId }, 'handoff summary not written'))
      .finally(() => this.summarizing.delete(conversationId))
  }
}
