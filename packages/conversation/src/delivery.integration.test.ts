import { pino } from 'pino'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { waitFor } from '../../../test/support/wait-for.js'
import { countWork } from '../../../test/support/work-counts.js'
import { ConversationRepository } from './conversation.repository.js'
import { OutboxConsumer, type RetryPolicy } from './delivery.js'
import { ChannelUnavailable, UndeliverableError, type DeliveryProgress } from './delivery-failure.js'
import { announceOnOutbox } from './outbox-entry.js'
import type { Delivery } from './types.js'

type ConsumerOptions = ConstructorParameters<typeof OutboxConsumer>[0]

// Real PostgreSQL and Redis: a channel's outbox read the way the bot reads it.
const store = storeFixture()
let repo: ConversationRepository
beforeAll(() => {
  repo = new ConversationRepository(store().database.db)
})

/** A reply stored for a question in a group, not delivered yet. */
async function storedReply(platformMessageId = 'pm-1') {
  const bot = await repo.ensureBot('Chorus')
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', 'room-1@chatroom', 'Room 1')
  const user = await repo.ensureEndUser('wechat', 'wxid_1', 'Member 1')
  const question = await repo.storeInbound({
    botId: bot.id,
    channelId: channel.id,
    scopeKey: user.id,
    endUserId: user.id,
    authorUserId: user.id,
    platformMessageId,
    text: 'when does West Lake open?',
    meta: {},
  })
  const conversation = { id: question.conversationId }
  const reply = await repo.insertReply(
    { conversationId: conversation.id, replyToId: question.id, text: 'At 6:00.', promptTokens: 1, completionTokens: 1 },
    { role: 'assistant' },
  )
  if (reply.id === null || !reply.route) throw new Error('the reply was not stored')
  return { botId: bot.id, replyId: reply.id, route: reply.route }
}

/** A consumer of `outbox` as the bot runs one, with the test's own options. */
function outboxConsumer(outbox: string, options: Pick<ConsumerOptions, 'deliver'> & Partial<ConsumerOptions>): OutboxConsumer {
  const { redis, keys } = store()
  return new OutboxConsumer({ redis, keys, outbox, consumer: 'test-bot', repo, logger: pino({ level: 'silent' }), ...options })
}

describe('the outbox consumer', () => {
  it('sends a reply announced three times once, and spends its turn (the pacing) once', async () => {
    const { redis, keys, database } = store()
    const { botId, replyId } = await storedReply()
    const outbox = `wechat:${botId}`
    let turns = 0
    let letThrough!: () => void
    const paced = new Promise<void>((resolve) => (letThrough = resolve))
    const sent: Delivery[] = []
    const consumer = outboxConsumer(outbox, {
      awaitTurn: async () => {
        turns++
        await paced
      },
      deliver: async (delivery) => {
        sent.push(delivery)
      },
    })
    await consumer.start()
    try {
      // The first announcement, a second one (the recovery sweep) and a third, while the first waits its turn.
      for (let i = 0; i < 3; i++) await redis.xadd(keys.outbox(outbox), '*', 'reply', String(replyId))
      await waitFor(async () => turns > 0, 5000, 'the reply to wait its turn')
      // Past a re-read of the pending entries (every 5 s), which must not queue the reply again.
      await new Promise((resolve) => setTimeout(resolve, 5500))
      letThrough()
      await waitFor(async () => sent.length > 0, 5000, 'the reply to be sent')
      // Every entry ends acknowledged: the duplicates once the reply is out.
      await waitFor(async () => Number((await redis.xpending(keys.outbox(outbox), 'delivery'))[0]) === 0, 10_000, 'no entry left pending')
    } finally {
      await consumer.stop()
    }
    expect(sent.map((d) => d.replyId)).toEqual([replyId])
    expect(turns).toBe(1)
    expect((await database.db.message.findUniqueOrThrow({ where: { id: replyId } })).status).toBe('delivered')
  })

  it('paces and sends a reply whose entry carries its route with one statement, the claim', async () => {
    const { redis, keys, database } = store()
    const { botId, replyId, route } = await storedReply('pm-routed')
    const outbox = `wechat:${botId}:routed`
    const turns: unknown[] = []
    const sent: Delivery[] = []
    const consumer = outboxConsumer(outbox, {
      awaitTurn: async (to) => {
        turns.push(to)
      },
      deliver: async (delivery) => {
        sent.push(delivery)
      },
    })
    await consumer.start()
    try {
      const { counts } = await countWork(async () => {
        await announceOnOutbox(redis, keys, { channelKind: 'wechat_group', botId: `${botId}:routed` }, replyId, route)
        await waitFor(
          async () => Number((await redis.xpending(keys.outbox(outbox), 'delivery'))[0]) === 0 && sent.length > 0,
          5000,
          'the reply sent',
        )
      })
      expect(counts.sqlStatements).toBe(1)
    } finally {
      await consumer.stop()
    }
    expect(turns).toEqual([route])
    expect(sent).toEqual([
      {
        replyId,
        conversationId: route.conversationId,
        text: 'At 6:00.',
        role: 'assistant',
        botId,
        channel: { kind: 'wechat_group', externalId: 'room-1@chatroom', title: 'Room 1' },
        asker: { platformId: 'wxid_1', displayName: 'Member 1' },
      },
    ])
    expect((await database.db.message.findUniqueOrThrow({ where: { id: replyId } })).status).toBe('delivered')
  })

  it('sends a reply announced again while it waits out a backoff no earlier than its retry time', async () => {
    const { redis, keys, database } = store()
    const { botId, replyId, route } = await storedReply('pm-backoff')
    const retryAt = Date.now() + 1000
    await database.db.message.update({ where: { id: replyId }, data: { meta: { deliveryAttempts: 1, retryAt } } })
    const outbox = `wechat:${botId}:backoff`
    const sentAt: number[] = []
    const consumer = outboxConsumer(outbox, {
      deliver: async () => {
        sentAt.push(Date.now())
      },
      pendingRescanMs: 50,
    })
    await consumer.start()
    try {
      await announceOnOutbox(redis, keys, { channelKind: 'wechat_group', botId: `${botId}:backoff` }, replyId, route)
      await waitFor(async () => sentAt.length > 0, 5000, 'the reply sent')
      await waitFor(async () => Number((await redis.xpending(keys.outbox(outbox), 'delivery'))[0]) === 0, 5000, 'no entry left pending')
    } finally {
      await consumer.stop()
    }
    expect(sentAt).toHaveLength(1)
    expect(sentAt[0]).toBeGreaterThanOrEqual(retryAt)
  })

  it('takes over what a consumer that died left pending, within seconds', async () => {
    const { redis, keys, database } = store()
    const { botId, replyId } = await storedReply('pm-abandoned')
    const outbox = `wechat:${botId}:abandoned`
    const key = keys.outbox(outbox)
    await redis.xgroup('CREATE', key, 'delivery', '0', 'MKSTREAM')
    await redis.xadd(key, '*', 'reply', String(replyId))
    // Another API process read the entry, then died before sending it.
    await redis.xreadgroup('GROUP', 'delivery', 'api-that-died', 'COUNT', 10, 'STREAMS', key, '>')
    const sent: Delivery[] = []
    const consumer = outboxConsumer(outbox, {
      consumer: 'api-alive',
      ephemeralName: true,
      deliver: async (delivery) => {
        sent.push(delivery)
      },
      pendingRescanMs: 100,
      claimIdleAfterMs: 300,
    })
    await consumer.start()
    try {
      await waitFor(async () => sent.length > 0, 5000, 'the abandoned reply to be sent')
      await waitFor(async () => Number((await redis.xpending(key, 'delivery'))[0]) === 0, 5000, 'no entry left pending')
    } finally {
      await consumer.stop()
    }
    expect(sent.map((d) => d.replyId)).toEqual([replyId])
    expect((await database.db.message.findUniqueOrThrow({ where: { id: replyId } })).status).toBe('delivered')
    // The live consumer left the group when it stopped with nothing pending; the dead one is still listed.
    const consumers = (await redis.xinfo('CONSUMERS', key, 'delivery')) as Array<Array<string | number>>
    expect(consumers.map((c) => c[1])).toEqual(['api-that-died'])
  })

  describe('when a send fails', () => {
    // Quick retries, so the cap is reached in a test's time.
    const retry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 }

    /** Runs a consumer with `deliver` on a fresh reply until `done` holds; returns the reply's id and the stored row. */
    async function consume(
      messageId: string,
      deliver: (delivery: Delivery, progress: DeliveryProgress) => Promise<void>,
      done: () => boolean,
    ) {
      const { redis, keys, database } = store()
      const { botId, replyId } = await storedReply(messageId)
      const outbox = `wechat:${botId}:${messageId}`
      const consumer = outboxConsumer(outbox, { deliver, retry, pendingRescanMs: 50 })
      await consumer.start()
      try {
        await redis.xadd(keys.outbox(outbox), '*', 'reply', String(replyId))
        await waitFor(async () => done(), 10_000, 'the sends to end')
        await waitFor(async () => Number((await redis.xpending(keys.outbox(outbox), 'delivery'))[0]) === 0, 10_000, 'no entry left pending')
      } finally {
        await consumer.stop()
      }
      return { replyId, row: await database.db.message.findUniqueOrThrow({ where: { id: replyId } }) }
    }

    it('retries a transient failure with backoff, a capped number of times, then marks the reply undeliverable and audits it', async () => {
      const attemptsAt: number[] = []
      const { replyId } = await consume(
        'pm-transient',
        async () => {
          attemptsAt.push(Date.now())
          throw new Error('the puppet is not logged in')
        },
        () => attemptsAt.length >= retry.maxAttempts,
      )
      await waitFor(
        async () => (await store().database.db.message.findUniqueOrThrow({ where: { id: replyId } })).status === 'undeliverable',
        5000,
        'the reply marked',
      )
      expect(attemptsAt).toHaveLength(retry.maxAttempts)
      // Each retry waited at least its backoff: 50 ms, then 100 ms.
      expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(50)
      expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(100)
      const audit = await store().database.db.auditLog.findMany({ where: { action: 'message.undeliverable', targetId: String(replyId) } })
      expect(audit.map((a) => a.data)).toEqual([{ reason: 'retries_exhausted', attempts: retry.maxAttempts }])
    })

    it('spends no attempt while the channel itself is away, and sends once it is back', async () => {
      let tries = 0
      const sent: Delivery[] = []
      const { row } = await consume(
        'pm-away',
        async (delivery) => {
          // Logged out for more tries than the retry policy allows a reply.
          if (++tries <= retry.maxAttempts + 2) throw new ChannelUnavailable('the WeChat account is logged out')
          sent.push(delivery)
        },
        () => sent.length > 0,
      )
      expect(sent).toHaveLength(1)
      expect(row.status).toBe('delivered')
      expect(row.meta).toMatchObject({ deliveryAttempts: 0 })
    })

    it('tries a reply its channel refuses for good once', async () => {
      let attempts = 0
      const { row } = await consume(
        'pm-refused',
        async () => {
          attempts++
          throw new UndeliverableError('reply_window_closed', 'the 48-hour window has passed', 45015)
        },
        () => attempts > 0,
      )
      expect(attempts).toBe(1)
      expect(row.status).toBe('undeliverable')
      expect(row.meta).toMatchObject({ delivery: { reason: 'reply_window_closed', errcode: 45015, attempts: 1 } })
    })

    it('resumes a reply sent in parts after the last part that went out, and sends each part once', async () => {
      const sentParts: string[] = []
      let failedOnce = false
      const { row } = await consume(
        'pm-parts',
        async (_delivery, progress) => {
          for (let part = progress.sentParts + 1; part <= 3; part++) {
            if (part === 2 && !failedOnce) {
              failedOnce = true
              throw new Error('network error')
            }
            sentParts.push(`part ${part}`)
            await progress.partsSent(part)
          }
        },
        () => sentParts.length === 3,
      )
      expect(sentParts).toEqual(['part 1', 'part 2', 'part 3'])
      expect(row.status).toBe('delivered')
      expect(row.meta).toMatchObject({ sentParts: 3, deliveryAttempts: 1 })
    })
  })
})
