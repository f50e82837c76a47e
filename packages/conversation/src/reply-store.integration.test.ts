import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { ConversationRepository } from './conversation.repository.js'

// Real PostgreSQL: storing the model's reply, the heart of "answered once".
const store = storeFixture()
let repo: ConversationRepository
beforeAll(() => {
  repo = new ConversationRepository(store().database.db)
})

let counter = 0

/** A conversation of its own in a group, with `questions` queued questions, oldest first. */
async function conversationWith(questions: number) {
  const n = ++counter
  const bot = await repo.ensureBot('Chorus')
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', `reply-room-${n}@chatroom`, `Room ${n}`)
  const user = await repo.ensureEndUser('wechat', `wxid_reply_${n}`, `Member ${n}`)
  const scope = { botId: bot.id, channelId: channel.id, scopeKey: user.id, endUserId: user.id }
  const conversation = await store().database.db.conversation.create({ data: scope })
  const ids: bigint[] = []
  for (let q = 0; q < questions; q++) {
    const message = await repo.storeInbound({
      ...scope,
      authorUserId: user.id,
      platformMessageId: `reply-pm-${n}-${q}`,
      text: `question ${q}`,
      meta: {},
    })
    await repo.setStatus(message.id, 'queued')
    ids.push(message.id)
  }
  return { conversationId: conversation.id, botId: bot.id, channelId: channel.id, n, questions: ids }
}

const statusOf = async (id: bigint) => (await store().database.db.message.findUniqueOrThrow({ where: { id } })).status

const modelReply = { role: 'assistant', onlyWhileBot: true } as const

describe('storing a reply', () => {
  it('stores the model’s reply in one statement, answers the question, supersedes the older ones it covers and routes the reply', async () => {
    const { conversationId, botId, channelId, n, questions } = await conversationWith(3)
    const latest = questions[2]!
    const { result, counts } = await countWork(() =>
      repo.insertReply(
        { conversationId, replyToId: latest, text: 'At 6:00.', promptTokens: 10, completionTokens: 3, meta: { model: 'm' } },
        { ...modelReply, supersede: [questions[0]!, questions[1]!] },
      ),
    )
    expect(counts.sqlStatements).toBe(1)
    expect(result.created).toBe(true)
    // What its outbox entry carries, so that it is paced and sent without a read.
    expect(result.route).toEqual({
      conversationId,
      botId,
      channel: { kind: 'wechat_group', externalId: `reply-room-${n}@chatroom`, title: `Room ${n}` },
      asker: { platformId: `wxid_reply_${n}`, displayName: `Member ${n}` },
    })
    const reply = await store().database.db.message.findUniqueOrThrow({ where: { id: result.id! } })
    expect(reply).toMatchObject({
      role: 'assistant',
      status: 'stored',
      channelId,
      replyToId: latest,
      text: 'At 6:00.',
      meta: { model: 'm' },
    })
    expect([await statusOf(questions[0]!), await statusOf(questions[1]!), await statusOf(latest)]).toEqual([
      'superseded',
      'superseded',
      'answered',
    ])
    expect(result.waitingId).toBeNull()
  })

  it('supersedes only the questions its prompt held, and names the oldest question still waiting', async () => {
    const { conversationId, questions } = await conversationWith(4)
    const result = await repo.insertReply(
      { conversationId, replyToId: questions[2]!, text: 'Both at 6:00.', promptTokens: 10, completionTokens: 3 },
      { ...modelReply, supersede: [questions[1]!] },
    )
    expect(await Promise.all(questions.map(statusOf))).toEqual(['queued', 'superseded', 'answered', 'queued'])
    expect(result.waitingId).toBe(questions[0])
    // An answer of its own (a knowledge-base answer, a notice) supersedes nothing.
    const own = await repo.insertReply(
      { conversationId, replyToId: questions[0]!, text: 'At 8:00.', promptTokens: 0, completionTokens: 0 },
      modelReply,
    )
    expect(await Promise.all(questions.map(statusOf))).toEqual(['answered', 'superseded', 'answered', 'queued'])
    expect(own.waitingId).toBe(questions[3])
  })

  it('stores one reply when a job completes twice, and hands back the one that exists', async () => {
    const { conversationId, questions } = await conversationWith(1)
    const reply = { conversationId, replyToId: questions[0]!, text: 'once', promptTokens: 1, completionTokens: 1 }
    const [first, second] = await Promise.all([repo.insertReply(reply, modelReply), repo.insertReply(reply, modelReply)])
    expect([first.created, second.created].sort()).toEqual([false, true])
    expect(first.id).toBe(second.id)
    expect(await store().database.db.message.count({ where: { replyToId: questions[0]! } })).toBe(1)
  })

  it('stores nothing from the model once a person owns the conversation, and the question waits no more', async () => {
    const { conversationId, questions } = await conversationWith(1)
    await store().database.db.conversation.update({ where: { id: conversationId }, data: { state: 'agent' } })
    const result = await repo.insertReply(
      { conversationId, replyToId: questions[0]!, text: 'too late', promptTokens: 1, completionTokens: 1 },
      modelReply,
    )
    expect(result).toEqual({ id: null, created: false, waitingId: null })
    expect(await store().database.db.message.count({ where: { replyToId: questions[0]! } })).toBe(0)
    expect(await statusOf(questions[0]!)).toBe('delivered')
  })

  it('stores Chorus’s own notice whoever owns the conversation, with the question’s status it is given', async () => {
    const { conversationId, questions } = await conversationWith(2)
    await store().database.db.conversation.update({ where: { id: conversationId }, data: { state: 'agent' } })
    const result = await repo.insertReply(
      { conversationId, replyToId: questions[1]!, text: 'busy', promptTokens: 0, completionTokens: 0, meta: { notice: 'busy' } },
      { role: 'system', inboundStatus: 'ignored' },
    )
    expect(result.created).toBe(true)
    expect([await statusOf(questions[0]!), await statusOf(questions[1]!)]).toEqual(['queued', 'ignored'])
  })

  it('says so when the question does not exist', async () => {
    const { conversationId } = await conversationWith(0)
    await expect(
      repo.insertReply({ conversationId, replyToId: 999_999_999n, text: 'x', promptTokens: 0, completionTokens: 0 }, modelReply),
    ).rejects.toThrow('no question')
  })
})
