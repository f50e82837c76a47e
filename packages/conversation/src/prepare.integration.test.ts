import type { PromptJob } from '@chorus/protocol'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { ConversationRepository } from './conversation.repository.js'
import { PromptPreparer } from './prepare.js'

// Real PostgreSQL: the prompt a worker builds from a conversation's history when its job starts.
const store = storeFixture()
let repo: ConversationRepository
let preparer: PromptPreparer
beforeAll(() => {
  repo = new ConversationRepository(store().database.db)
  preparer = new PromptPreparer(repo, { contextTokens: 4096, maxReplyTokens: 256 })
})

let counter = 0

/** A group conversation where Li and Wang asked and the bot answered Li; Wang's question waits. */
async function groupConversation() {
  const n = ++counter
  const bot = await repo.ensureBot('Chorus', 'You are the travel desk.')
  const channel = await repo.ensureChannel(bot.id, 'wechat_group', `prepare-room-${n}@chatroom`, `Room ${n}`)
  const li = await repo.ensureEndUser('wechat', `wxid_li_${n}`, 'Li')
  const wang = await repo.ensureEndUser('wechat', `wxid_wang_${n}`, 'Wang')
  const scope = { botId: bot.id, channelId: channel.id, scopeKey: `group-${n}`, endUserId: null }
  const say = async (user: { id: string }, text: string, id: string) =>
    repo.storeInbound({ ...scope, authorUserId: user.id, platformMessageId: id, text, meta: {} })
  const first = await say(li, 'When does the boat open?', `p-${n}-1`)
  const conversation = { id: first.conversationId }
  await repo.setStatus(first.id, 'queued')
  await repo.insertReply(
    { conversationId: conversation.id, replyToId: first.id, text: 'At 8:00.', promptTokens: 1, completionTokens: 1 },
    { supersedeOlder: true, role: 'assistant', onlyWhileBot: true },
  )
  const second = await say(wang, 'And how much is it?', `p-${n}-2`)
  await repo.setStatus(second.id, 'queued')
  const job = {
    origin: {
      kind: 'conversation',
      conversationId: conversation.id,
      messageId: String(second.id),
      channelKind: 'wechat_group',
      botId: bot.id,
    },
  } as PromptJob
  return { conversationId: conversation.id, question: second.id, job }
}

describe('preparing a conversation’s prompt', () => {
  it('builds it from the history, speakers named, in one statement', async () => {
    const { job, question } = await groupConversation()
    const { result, counts } = await countWork(() => preparer.prepare(job))
    expect(counts.sqlStatements).toBe(1)
    expect(result?.context?.replyTo).toBe(String(question))
    const turns = result!.messages.map((m) => [m.role, m.content])
    expect(turns[0]).toEqual(['system', expect.stringContaining('You are the travel desk.')])
    expect(turns.slice(1)).toEqual([
      ['user', expect.stringContaining('When does the boat open?')],
      ['assistant', 'At 8:00.'],
      ['user', expect.stringContaining('And how much is it?')],
    ])
    expect(JSON.stringify(turns.slice(1))).toMatch(/Li.*Wang/)
  })

  it('starts the history after /reset', async () => {
    const { job, conversationId, question } = await groupConversation()
    await store().database.db.conversation.update({
      where: { id: conversationId },
      data: { contextResetAt: new Date(Date.now() - 60_000) },
    })
    await store().database.db.message.update({ where: { id: question }, data: { createdAt: new Date() } })
    await store().database.db.message.updateMany({
      where: { conversationId, id: { lt: question } },
      data: { createdAt: new Date(Date.now() - 120_000) },
    })
    const result = await preparer.prepare(job)
    expect(result!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      expect.stringContaining('And how much is it?'),
    ])
  })

  it('leaves out the history older than the bot’s context expiry (four hours by default)', async () => {
    const { job, conversationId, question } = await groupConversation()
    await store().database.db.message.updateMany({
      where: { conversationId, id: { lt: question } },
      data: { createdAt: new Date(Date.now() - 5 * 3600_000) },
    })
    const result = await preparer.prepare(job)
    expect(result!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      expect.stringContaining('And how much is it?'),
    ])
  })

  it('leaves nothing to answer once a person owns the conversation, or no question waits', async () => {
    const owned = await groupConversation()
    await store().database.db.conversation.update({ where: { id: owned.conversationId }, data: { state: 'agent' } })
    expect(await preparer.prepare(owned.job)).toBeNull()
    const answered = await groupConversation()
    await repo.setStatus(answered.question, 'answered')
    expect(await preparer.prepare(answered.job)).toBeNull()
  })
})
