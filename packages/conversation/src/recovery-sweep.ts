import type { Logger } from 'pino'
import type { Dispatcher } from '@chorus/pool'
import type { ConversationKeys } from './keys.js'
import { SharedSchedule, withRedisLock, type RedisClient } from '@chorus/redis'
import type { BotDirectory } from './bot-directory.js'
import type { ConversationRepository } from './conversation.repository.js'
import { conversationPrompt } from './conversation-prompt.js'
import { promptJobId } from './prompt-job-id.js'
import { repliesInOutbox } from './outbox-backlog.js'
import { announceOnOutbox, outboxName } from './outbox-entry.js'

export interface RecoverySweepOptions {
  /** How often to look (default 5 s). */
  intervalMs?: number
  /** Work younger than this is left alone: it is normally still on its way (default 10 s). */
  staleAfterMs?: number
  /** Work older than this is given up on (default 1 h). */
  windowMs?: number
  /** At most this many questions and as many replies per sweep (default 500). */
  batch?: number
}

/**
 * Puts back work that Redis lost. PostgreSQL is the record: a question `queued` there with no
 * prompt anywhere in the pool (Redis restarted without persistence, or a process died between
 * storing the question and queuing it) is queued again; a reply still `stored` whose outbox no
 * longer holds it (its entry was lost with Redis, or never written: a process died between
 * storing and announcing it) is announced again on its outbox. Both
 * are safe to repeat: one reply per question (unique `reply_to_id`), one delivery per reply (the
 * claim in PostgreSQL). One sweep per interval across every process that runs one (a BullMQ job
 * scheduler), and never two at once (a lock, for a sweep run by hand meanwhile).
 */
export class RecoverySweep {
  private readonly options: Required<RecoverySweepOptions>
  private schedule: SharedSchedule | undefined

  constructor(
    private readonly deps: {
      repo: ConversationRepository
      bots: BotDirectory
      dispatcher: Dispatcher
      redis: RedisClient
      keys: ConversationKeys
      logger: Logger
      maxReplyTokens: number
    },
    options: RecoverySweepOptions = {},
  ) {
    this.options = { intervalMs: 5000, staleAfterMs: 10_000, windowMs: 3600_000, batch: 500, ...options }
  }

  /** Takes part in the sweeps from now on. */
  start(): Promise<void> {
    const { redis, keys, logger } = this.deps
    this.schedule ??= new SharedSchedule({
      redis,
      prefix: keys.bullPrefix,
      name: 'recovery-sweep',
      everyMs: this.options.intervalMs,
      work: () => this.sweep(),
      onError: (error) => logger.warn({ err: error }, 'recovery sweep failed'),
    })
    return this.schedule.start()
  }

  async stop(): Promise<void> {
    await this.schedule?.stop()
    this.schedule = undefined
  }

  /** One sweep; returns what it put back (nothing while another process holds the sweep). */
  async sweep(): Promise<{ requeued: number; reannounced: number }> {
    const { redis, keys, logger } = this.deps
    const ttlMs = Math.max(30_000, this.options.intervalMs * 3)
    const swept = await withRedisLock(redis, keys.recoveryLock, ttlMs, async () => {
      const now = Date.now()
      const from = new Date(now - this.options.windowMs)
      const to = new Date(now - this.options.staleAfterMs)
      const requeued = await this.requeueQuestions(from, to)
      const reannounced = await this.reannounceReplies(from, to)
      if (requeued || reannounced) logger.warn({ requeued, reannounced }, 'recovered work the pool or an outbox had lost')
      return { requeued, reannounced }
    })
    return swept ?? { requeued: 0, reannounced: 0 }
  }

  private async requeueQuestions(from: Date, to: Date): Promise<number> {
    const { repo, bots, dispatcher } = this.deps
    const byConversation = new Map<string, Awaited<ReturnType<ConversationRepository['waitingQuestions']>>>()
    for (const question of await repo.waitingQuestions(from, to, this.options.batch)) {
      byConversation.set(question.conversationId, [...(byConversation.get(question.conversationId) ?? []), question])
    }
    // Nothing is queued again while no replica could take it (its prompts wait unrouted meanwhile).
    const served = new Map<string, boolean>()
    let requeued = 0
    for (const [conversationId, questions] of byConversation) {
      // One prompt for the conversation: it answers what waits (the latest question and those
      // before it, or the oldest first; see PromptPreparer), and the next prompt follows its reply.
      const latest = questions.at(-1)!
      const bot = await bots.get(latest.channel.botId)
      if (!served.has(bot.model)) served.set(bot.model, (await dispatcher.candidates(bot.model)).length > 0)
      if (!served.get(bot.model)) continue
      if (await dispatcher.hasPrompt(conversationId)) continue
      const question = {
        conversationId,
        messageId: latest.id,
        channelKind: latest.channel.kind,
        channelId: latest.channelId,
        botId: latest.channel.botId,
        userId: latest.authorUserId ?? '',
      }
      // A job id of its own (the first one may still be kept as completed, and adding it again
      // would do nothing), on the same reply stream (`m-<id>~<n>`). Admitted once already: no
      // second refusal for a full queue.
      const jobId = `${promptJobId(latest.id)}~${Date.now()}`
      await dispatcher.dispatch(jobId, conversationPrompt(question, { maxTokens: this.deps.maxReplyTokens, model: bot.model }), {
        force: true,
      })
      requeued++
    }
    return requeued
  }

  private async reannounceReplies(from: Date, to: Date): Promise<number> {
    const { repo, redis, keys } = this.deps
    // What each outbox still holds, read once per sweep and only for an outbox with a reply to look at.
    const held = new Map<string, Promise<Set<string>>>()
    let reannounced = 0
    for (const reply of await repo.undeliveredReplies(from, to, this.options.batch)) {
      const target = { channelKind: reply.channel.kind, botId: reply.channel.botId }
      const outbox = keys.outbox(outboxName(target))
      if (!held.has(outbox)) held.set(outbox, repliesInOutbox(redis, outbox, this.options.batch))
      // Still in its outbox: on its way (waiting for its chat's turn behind the bot's pacing, or
      // for a retry), not lost.
      if ((await held.get(outbox)!).has(String(reply.id))) continue
      // Once a minute at most: a delivery process may be slow to read it.
      if (!(await redis.set(keys.reannounced(String(reply.id)), '1', 'EX', 60, 'NX'))) continue
      await announceOnOutbox(redis, keys, target, reply.id)
      reannounced++
    }
    return reannounced
  }
}
