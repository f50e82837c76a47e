import { pino } from 'pino'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { waitFor } from '../../../test/support/wait-for.js'
import { ConversationRepository } from './conversation.repository.js'
import { OutboxConsumer } from './delivery.js'
import type { Delivery } from './types.js'

// Real PostgreSQL and Redis: a channel's outbox read the way the bot reads it.
const store = storeFixture()
let repo: ConversationRepository
beforeAll(() => {
  repo = new ConversationRepository(store().database.db)
})

/** A reply stored for a question in a group, not delivered yet. */
async function storedReply() {
  const bot = await repo.ensureBot('Chorus')
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', 'room-1@chatroom', 'Room 1')
  const user = await repo.ensureEndUser('wechat', 'wxid_1', 'Member 1')
  const conversation = await repo.openConversation({ botId: bot.id, channelId: channel.id, scopeKey: user.id, endUserId: user.id })
  const question = await repo.insertInbound({
    conversationId: conversation.id,
    channelId: channel.id,
    authorUserId: user.id,
    platformMessageId: 'pm-1',
    text: 'when does West Lake open?',
    meta: {},
  })
  const reply = await repo.insertReply(
    { conversationId: conversation.id, replyToId: question.id, text: 'At 6:00.', promptTokens: 1, completionTokens: 1 },
    { supersedeOlder: false, role: 'assistant' },
  )
  if (reply.id === null) throw new Error('the reply was not stored')
  return { botId: bot.id, replyId: reply.id }
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
    const consumer = new OutboxConsumer({
      redis,
      keys,
      outbox,
      consumer: 'test-bot',
      repo,
      awaitTurn: async () => {
        turns++
        await paced
      },
      deliver: async (delivery) => {
        sent.push(delivery)
      },
      logger: pino({ level: 'silent' }),
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
})
