import type { Logger } from 'pino'
import type { ConversationKeys } from './keys.js'
import { duplicateRedis, ensureConsumerGroup, StreamAcks, type RedisClient } from '@chorus/redis'
import type { OutboxRoute } from '@chorus/protocol'
import type { ConversationRepository } from './conversation.repository.js'
import { ChannelUnavailable, UndeliverableError, type DeliveryFailure, type DeliveryProgress } from './delivery-failure.js'
import type { LiveEvents } from './live-events.js'
import { outboxGroup as group, readOutboxEntry } from './outbox-entry.js'
import { SerialByKey } from './serial-by-key.js'
import type { Delivery } from './types.js'

/** A number a reply's meta keeps for its delivery: parts already sent (`sentParts`), failed attempts (`deliveryAttempts`). */
function numberIn(meta: unknown, name: 'sentParts' | 'deliveryAttempts'): number {
  const value = (meta as Record<string, unknown> | null)?.[name]
  return typeof value === 'number' ? value : 0
}
const maxInFlight = 200

/** How often a failed reply is tried again: after 1 s, 2 s, 4 s… (at most `maxDelayMs`), `maxAttempts` times in all. */
export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

/** About two minutes of retries, then the reply is marked undeliverable. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 }

/**
 * Reads a channel's outbox and sends each stored reply once. Entries stay pending until sent,
 * so replies announced while the channel was down are sent when it comes back; the database
 * claim makes a second announcement of the same reply a no-op. A new entry that carries its
 * route is paced and claimed without a read; others (read again, or announced without a route)
 * are read first, so that a reply already sent or waiting out a backoff spends no turn.
 */
export class OutboxConsumer {
  private stopped = false
  private loop: Promise<void> | undefined
  private readonly chats = new SerialByKey()
  /** The send task queued or running here for each reply: a second entry for one (re-read, or announced again) waits for it. */
  private readonly inFlight = new Map<bigint, Promise<void>>()
  private readonly retry: RetryPolicy
  private readonly pendingRescanMs: number
  private readonly claimIdleAfterMs: number
  private reader: RedisClient | undefined
  /** Acknowledgements of the moment, sent together (delivery is idempotent: a lost one costs a re-read). */
  private acks: StreamAcks | undefined

  constructor(
    private readonly options: {
      redis: RedisClient
      keys: ConversationKeys
      outbox: string
      consumer: string
      repo: ConversationRepository
      /**
       * Waits for the channel's turn to send (the bot's pacing). It runs before the reply is
       * claimed, so a process that dies while waiting has claimed nothing and the reply goes
       * out after a restart; the claim comes right before the send.
       */
      awaitTurn?: (route: OutboxRoute) => Promise<void>
      /**
       * Sends a reply. Throwing UndeliverableError marks it undeliverable at once; anything else
       * is retried with backoff, up to the retry policy's attempts.
       */
      deliver: (delivery: Delivery, progress: DeliveryProgress) => Promise<void>
      /** Where the console hears that a reply ended undeliverable. */
      live?: LiveEvents
      retry?: RetryPolicy
      /** How often entries left pending (a failed or interrupted send) are read again. */
      pendingRescanMs?: number
      /**
       * How long another consumer's entry may sit unacknowledged before this one takes it over
       * (that consumer died). Longer than a live consumer ever leaves one: it re-reads its own
       * pending entries every `pendingRescanMs`, which resets their idle time.
       */
      claimIdleAfterMs?: number
      /**
       * The consumer's name is this process's alone (an API process's): it leaves the group when
       * it stops with nothing pending. A name a restarted process takes up again (the bot's) stays.
       */
      ephemeralName?: boolean
      logger: Logger
    },
  ) {
    this.retry = options.retry ?? defaultRetryPolicy
    this.pendingRescanMs = options.pendingRescanMs ?? 5000
    this.claimIdleAfterMs = options.claimIdleAfterMs ?? 3 * this.pendingRescanMs
  }

  async start(): Promise<void> {
    const { redis, keys, outbox, consumer } = this.options
    const key = keys.outbox(outbox)
    await ensureConsumerGroup(redis, key, group, '0')
    this.acks = new StreamAcks(redis, key, group)
    // XREADGROUP blocks its connection: it gets one of its own, so acknowledgements never wait behind it.
    this.reader = duplicateRedis(redis, { blocking: true, name: `${consumer}-outbox` })
    this.loop = this.run(key, this.reader)
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.loop
    await Promise.allSettled([...this.inFlight.values()])
    await this.acks?.flush().catch(() => undefined)
    this.reader?.disconnect()
    if (this.options.ephemeralName) {
      await this.leaveGroup().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'the outbox consumer did not leave its group'),
      )
    }
  }

  /** A consumer that stops with nothing pending leaves the group, so names of past processes do not pile up. */
  private async leaveGroup(): Promise<void> {
    const { redis, keys, outbox, consumer } = this.options
    const key = keys.outbox(outbox)
    const pending = (await redis.xpending(key, group, '-', '+', 1, consumer)) as unknown[]
    if (pending.length === 0) await redis.xgroup('DELCONSUMER', key, group, consumer)
  }

  private async run(key: string, reader: RedisClient): Promise<void> {
    const { redis, consumer, logger } = this.options
    // First what this consumer took but never acknowledged (a crash), then new entries.
    let cursor = '0'
    let lastPendingScan = Date.now()
    while (!this.stopped) {
      try {
        const result = (await reader.xreadgroup('GROUP', group, consumer, 'COUNT', 50, 'BLOCK', 500, 'STREAMS', key, cursor)) as Array<
          [string, Array<[string, string[] | null]>]
        > | null
        const entries = result?.[0]?.[1] ?? []
        if (cursor !== '>' && entries.length === 0) {
          cursor = '>'
          lastPendingScan = Date.now()
          await this.takeOverAbandoned(key)
        }
        await this.handleEntries(entries, cursor === '>')
        if (cursor !== '>' && entries.length > 0) cursor = entries[entries.length - 1]![0]
        // Replies whose delivery failed stay pending: look at them again now and then.
        else if (cursor === '>' && Date.now() - lastPendingScan > this.pendingRescanMs) cursor = '0'
      } catch (error) {
        if (this.stopped) break
        // Redis restarted without persistence and lost the outbox with its group: read the new one.
        // (Replies announced before are announced again by the workers' recovery sweep.)
        if (error instanceof Error && error.message.includes('NOGROUP')) {
          logger.warn('the outbox was lost (Redis restarted?): reading it afresh')
          await ensureConsumerGroup(redis, key, group, '0').catch(() => undefined)
          cursor = '0'
          continue
        }
        logger.error({ err: error }, 'outbox read failed')
        await new Promise((r) => setTimeout(r, 500))
      }
    }
  }

  /**
   * Handles entries read (`fresh`: for the first time) or claimed; one whose fields are gone
   * (trimmed from the stream) or name no reply is just acknowledged.
   */
  private async handleEntries(entries: Array<[string, string[] | null]>, fresh: boolean): Promise<void> {
    for (const [id, fields] of entries) {
      const entry = fields && readOutboxEntry(fields)
      if (entry) await this.handle(id, entry.replyId, fresh ? entry.route : undefined)
      else this.acknowledge(id)
    }
  }

  /** Takes over the entries a dead consumer left unacknowledged (XAUTOCLAIM), and handles them as its own. */
  private async takeOverAbandoned(key: string): Promise<void> {
    const { redis, consumer, logger } = this.options
    let start = '0-0'
    do {
      const [next, entries] = (await redis.xautoclaim(key, group, consumer, this.claimIdleAfterMs, start, 'COUNT', 50)) as [
        string,
        Array<[string, string[] | null]>,
      ]
      if (entries.length > 0) logger.info({ entries: entries.length }, 'took over outbox entries a stopped consumer left')
      await this.handleEntries(entries, false)
      start = next
    } while (start !== '0-0' && !this.stopped)
  }

  /** Sends reply `replyId` once its chat's earlier replies are out; `route`: the entry's, trusted without a read. */
  private async handle(entryId: string, replyId: bigint, route: OutboxRoute | undefined): Promise<void> {
    const { repo, deliver, logger } = this.options
    // Left pending: once this reply's task is done, the entry is read again and acknowledged.
    // Otherwise every re-read would queue another task and spend the chat's pacing on it (and a
    // reply being sent right now, read as already claimed, would be acknowledged before its outcome).
    if (this.inFlight.has(replyId)) return
    if (!route) {
      const reply = await repo.findReplyForDelivery(replyId)
      // Notes are never sent; a reply already sent (or gone) needs nothing.
      if (!reply || reply.status !== 'stored' || reply.role === 'note' || reply.role === 'user') {
        this.acknowledge(entryId)
        return
      }
      // A failed reply waits out its backoff, whichever process reads it; a later re-read tries it again.
      if (reply.retryAt > Date.now()) return
      route = reply.route
    }
    const to = route
    // Sent in outbox order within a chat, while other chats go on.
    const chat = `${to.channel.kind}:${to.channel.externalId}`
    const task = async () => {
      const log = logger.child({ replyId: String(replyId), conversationId: to.conversationId })
      await this.options.awaitTurn?.(to)
      // What the reply says and what earlier attempts did are read by the claim: another process
      // may have sent parts of it in between.
      const claim = await repo.claimDelivery(replyId)
      // Waiting out a backoff (it was announced again meanwhile): a later re-read tries it again.
      if (claim.kind === 'waiting') return
      if (claim.kind === 'gone') {
        this.acknowledge(entryId)
        return
      }
      const delivery: Delivery = {
        replyId,
        conversationId: to.conversationId,
        text: claim.text,
        role: claim.role,
        botId: to.botId,
        channel: to.channel,
        asker: to.asker,
        ...(claim.role === 'agent' && claim.signature ? { signature: claim.signature } : {}),
      }
      const progress: DeliveryProgress = {
        sentParts: numberIn(claim.meta, 'sentParts'),
        partsSent: (count) => repo.recordSentParts(replyId, count),
      }
      try {
        await deliver(delivery, progress)
        this.acknowledge(entryId)
        log.info('reply delivered')
      } catch (error) {
        const settled = await this.failed(delivery, numberIn(claim.meta, 'deliveryAttempts') + 1, error, log)
        if (settled) this.acknowledge(entryId)
      }
    }
    // A task that fails before its claim leaves the entry pending: it is read again later.
    const next = this.chats
      .run(chat, task)
      .catch((error: unknown) => logger.error({ err: error, replyId: String(replyId) }, 'reply delivery failed; will retry'))
      .finally(() => this.inFlight.delete(replyId))
    this.inFlight.set(replyId, next)
    // Bounded: past this many sends under way, wait for one to finish before reading on.
    if (this.inFlight.size >= maxInFlight) await Promise.race(this.inFlight.values())
  }

  /** Acknowledges an entry handled for good, with the others of the moment. */
  private acknowledge(entryId: string): void {
    void this.acks!.ack(entryId).catch((error: unknown) =>
      this.options.logger.warn({ err: error }, 'outbox entries not acknowledged: they are read again, and found done'),
    )
  }

  /**
   * After a failed send: a refusal for good, or the last allowed attempt, marks the reply
   * undeliverable (settled: true); otherwise it is released for a retry after its backoff. A
   * channel that is away (ChannelUnavailable) spends no attempt: its replies wait for it.
   */
  private async failed(delivery: Delivery, attempts: number, error: unknown, log: Logger): Promise<boolean> {
    const { repo, live } = this.options
    const { replyId } = delivery
    if (error instanceof ChannelUnavailable) {
      await repo.releaseFailedDelivery(replyId, new Date(Date.now() + this.retry.baseDelayMs), false)
      log.info({ reason: error.message }, 'the channel is away: the reply waits for it')
      return false
    }
    const refused = error instanceof UndeliverableError
    if (!refused && attempts < this.retry.maxAttempts) {
      const delayMs = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempts - 1))
      await repo.releaseFailedDelivery(replyId, new Date(Date.now() + delayMs), true)
      log.warn({ err: error, attempts, retryInMs: delayMs }, 'reply delivery failed; will retry')
      return false
    }
    const failure: DeliveryFailure = refused
      ? { reason: error.reason, message: error.message, ...(error.errcode === undefined ? {} : { errcode: error.errcode }), attempts }
      : { reason: 'retries_exhausted', message: error instanceof Error ? error.message : String(error), attempts }
    if (!(await repo.markUndeliverable(replyId, failure))) return true
    log.warn({ reason: failure.reason, errcode: failure.errcode, attempts }, 'reply undeliverable')
    const event = {
      type: 'message',
      conversationId: delivery.conversationId,
      id: String(replyId),
      role: delivery.role,
      botId: delivery.botId,
    } as const
    await live?.publish(event).catch((publishError: unknown) => log.warn({ err: publishError }, 'undeliverable reply not announced live'))
    return true
  }
}
