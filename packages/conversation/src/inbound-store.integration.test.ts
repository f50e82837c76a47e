import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { ConversationRepository } from './conversation.repository.js'

// Real PostgreSQL: storing what a user wrote, before anything else happens to it.
const store = storeFixture()
let repo: ConversationRepository
beforeAll(() => {
  repo = new ConversationRepository(store().database.db)
})

let counter = 0

/** A group member's scope of their own. */
async function memberScope() {
  const n = ++counter
  const bot = await repo.ensureBot('Chorus')
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', `inbound-room-${n}@chatroom`, `Room ${n}`)
  const user = await repo.ensureEndUser('wechat', `wxid_inbound_${n}`, `Member ${n}`)
  return { botId: bot.id, channelId: channel.id, scopeKey: user.id, endUserId: user.id, authorUserId: user.id }
}

describe('storing an inbound message', () => {
  it('opens the conversation and stores the message in one statement, then stores the next in the same conversation', async () => {
    const scope = await memberScope()
    const { result: first, counts } = await countWork(() =>
      repo.storeInbound({ ...scope, platformMessageId: 'm1', text: 'hello', meta: {} }),
    )
    expect(counts.sqlStatements).toBe(1)
    expect(first).toMatchObject({ duplicate: false, status: 'received', state: 'bot' })
    const second = await repo.storeInbound({ ...scope, platformMessageId: 'm2', text: 'are you there?', meta: {} })
    expect(second.conversationId).toBe(first.conversationId)
    expect(await store().database.db.conversation.count({ where: { channelId: scope.channelId } })).toBe(1)
  })

  it('stores a re-delivered message once and says where it is', async () => {
    const scope = await memberScope()
    const first = await repo.storeInbound({ ...scope, platformMessageId: 'again', text: 'hi', meta: {} })
    const again = await repo.storeInbound({ ...scope, platformMessageId: 'again', text: 'hi', meta: {} })
    expect(again).toMatchObject({ duplicate: true, id: first.id, conversationId: first.conversationId })
    expect(await store().database.db.message.count({ where: { channelId: scope.channelId } })).toBe(1)
  })

  it('puts the first messages of a scope, arriving at once, in one conversation', async () => {
    const scope = await memberScope()
    const stored = await Promise.all(
      Array.from({ length: 5 }, (_, i) => repo.storeInbound({ ...scope, platformMessageId: `burst-${i}`, text: `message ${i}`, meta: {} })),
    )
    expect(new Set(stored.map((s) => s.conversationId)).size).toBe(1)
  })

  it('stores into the conversation it is given (a resolved one awaiting a rating), with its state', async () => {
    const scope = await memberScope()
    const first = await repo.storeInbound({ ...scope, platformMessageId: 'before', text: 'thanks', meta: {} })
    await store().database.db.conversation.update({ where: { id: first.conversationId }, data: { state: 'resolved' } })
    const rating = await repo.storeInbound({
      ...scope,
      conversationId: first.conversationId,
      platformMessageId: 'rating',
      text: '5',
      meta: {},
    })
    expect(rating).toMatchObject({ duplicate: false, conversationId: first.conversationId, state: 'resolved' })
  })
})
