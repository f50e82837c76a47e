import type { PromptJob } from '@chorus/protocol'
import { storeFixture } from '../../../test/support/store-fixture.js'
import { countWork } from '../../../test/support/work-counts.js'
import { ConversationRepository } from './conversation.repository.js'
import { PromptPreparer, type KnowledgeLookup } from './prepare.js'

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
    { role: 'assistant', onlyWhileBot: true },
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

/** A preparer whose bot has a knowledge base that finds nothing, and the queries it was asked. */
function findingNothing(): { searched: string[]; grounded: PromptPreparer } {
  const searched: string[] = []
  const knowledge: KnowledgeLookup = {
    hasKnowledge: async () => true,
    answer: async (_botId, query) => {
      searched.push(query)
      return { kind: 'none' }
    },
  }
  return { searched, grounded: new PromptPreparer(repo, { contextTokens: 4096, maxReplyTokens: 256 }, knowledge) }
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

  it('answers small talk itself when the bot has a knowledge base, unless a real question waits with it', async () => {
    const { searched, grounded } = findingNothing()
    const { job, question, conversationId } = await groupConversation()
    await store().database.db.message.update({ where: { id: question }, data: { text: '谢谢！' } })
    expect(await grounded.prepare(job)).toMatchObject({
      answer: '不客气，还有其他问题随时问我。',
      context: { replyTo: String(question), smallTalk: 'thanks' },
    })
    expect(searched).toEqual([])

    // A question and a thank-you sent together are a question.
    const { channelId, authorUserId } = await store().database.db.message.findUniqueOrThrow({ where: { id: question } })
    const thanks = await store().database.db.message.create({
      data: { conversationId, channelId, authorUserId, role: 'user', text: '谢谢', status: 'queued' },
    })
    await store().database.db.message.update({ where: { id: question }, data: { text: '游船几点开？' } })
    const burst = await grounded.prepare({ ...job, origin: { ...job.origin, messageId: String(thanks.id) } } as PromptJob)
    // The knowledge base's reply (nothing found) answers the question alone, not the thank-you with it.
    expect(burst?.context).toEqual({ replyTo: String(question), confident: false })
    expect(searched).toEqual(['谢谢', '游船几点开？'])
  })
})

describe('preparing the prompt for questions asked one after another', () => {
  /** Li's questions, all still waiting; the job that runs is the first's. */
  async function burst(texts: string[]) {
    const n = ++counter
    const bot = await repo.ensureBot('Chorus', 'You are the travel desk.')
    const channel = await repo.ensureChannel(bot.id, 'wechat_group', `burst-room-${n}@chatroom`, `Burst ${n}`)
    const li = await repo.ensureEndUser('wechat', `wxid_burst_li_${n}`, 'Li')
    const scope = { botId: bot.id, channelId: channel.id, scopeKey: li.id, endUserId: li.id }
    const questions: bigint[] = []
    for (const [i, text] of texts.entries()) {
      const stored = await repo.storeInbound({
        ...scope,
        authorUserId: li.id,
        platformMessageId: `b-${n}-${i}`,
        text,
        meta: {},
        queue: true,
      })
      questions.push(stored.id)
    }
    const conversationId = (await store().database.db.message.findUniqueOrThrow({ where: { id: questions[0]! } })).conversationId
    const job = {
      origin: { kind: 'conversation', conversationId, messageId: String(questions[0]), channelKind: 'wechat_group', botId: bot.id },
    } as PromptJob
    return { job, questions, conversationId }
  }

  const userTurns = (prompt: { messages: Array<{ role: string; content: unknown }> } | null) =>
    prompt!.messages.filter((m) => m.role === 'user').map((m) => m.content)

  it('answers them in one reply when the model reads every one in its prompt', async () => {
    const { job, questions } = await burst(['Boat times?', 'Ticket price?', 'Open on Monday?'])
    const prompt = await preparer.prepare(job)
    expect(prompt?.context).toEqual({ replyTo: String(questions[2]), covers: [String(questions[0]), String(questions[1])] })
    expect(userTurns(prompt)).toEqual(['Li: Boat times?', 'Li: Ticket price?', 'Li: Open on Monday?'])
  })

  it('answers the oldest alone for the knowledge answerer, with the history up to it and the replies before it', async () => {
    const { job, questions, conversationId } = await burst(['Boat times?', 'Ticket price?', 'Open on Monday?'])
    const engine = { answersLastQuestionOnly: true }
    const first = await preparer.prepare(job, engine)
    expect(first?.context).toEqual({ replyTo: String(questions[0]) })
    expect(userTurns(first)).toEqual(['Li: Boat times?'])

    // Its reply is written after the later questions, and still comes right after it.
    await repo.insertReply(
      { conversationId, replyToId: questions[0]!, text: 'At 8:00.', promptTokens: 0, completionTokens: 0 },
      { role: 'assistant' },
    )
    const second = await preparer.prepare(job, engine)
    expect(second?.context).toEqual({ replyTo: String(questions[1]) })
    expect(second!.messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'Li: Boat times?'],
      ['assistant', 'At 8:00.'],
      ['user', 'Li: Ticket price?'],
    ])
  })

  it('answers the oldest alone when the prompt cannot hold every question waiting', async () => {
    const long = 'Tell me everything about the boats on West Lake, please. '.repeat(8)
    const { job, questions } = await burst([long, long, 'And the price?'])
    const small = new PromptPreparer(repo, { contextTokens: 256 + 200, maxReplyTokens: 256 })
    const prompt = await small.prepare(job)
    expect(prompt?.context).toEqual({ replyTo: String(questions[0]) })
  })

  it('answers the oldest alone when the knowledge base decides the reply without the model', async () => {
    const { searched, grounded } = findingNothing()
    const { job, questions } = await burst(['Boat times?', 'Open on Monday?'])
    const prompt = await grounded.prepare(job)
    expect(prompt).toMatchObject({ answer: expect.any(String), context: { replyTo: String(questions[0]), confident: false } })
    expect(prompt?.context?.covers).toBeUndefined()
    expect(searched).toEqual(['Open on Monday?', 'Boat times?'])
  })
})
