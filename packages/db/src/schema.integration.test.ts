import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js'

// Guards the hand-written migrations against drift from prisma/schema.prisma: every model and
// relation goes through the generated client on a database built by the migrations alone.
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})

afterAll(async () => {
  await database?.drop()
})

describe('the migrated schema', () => {
  it('stores and reads every model and relation through the generated client', async () => {
    const { db } = database
    const bot = await db.bot.create({ data: { name: 'drift-bot', persona: 'p', settings: { trigger: 'mention' } } })
    const staff = await db.staff.create({ data: { email: 'a@example.com', role: 'agent', passwordHash: 'x', displayName: 'Ann' } })
    const channel = await db.channel.create({ data: { botId: bot.id, kind: 'wechat_group', externalId: 'r1@chatroom', title: 'Demo' } })
    const user = await db.endUser.create({ data: { platform: 'wechat', platformId: 'wxid_1', displayName: 'Alice', unionid: 'u1' } })
    const conversation = await db.conversation.create({
      data: { botId: bot.id, channelId: channel.id, scopeKey: user.id, endUserId: user.id, assigneeId: staff.id, state: 'agent' },
    })
    const inbound = await db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        role: 'user',
        text: '你好',
        authorUserId: user.id,
        platformMessageId: 'pm-1',
        status: 'received',
        meta: { quoted: false },
      },
    })
    const reply = await db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        role: 'agent',
        text: 'hi',
        authorStaffId: staff.id,
        replyToId: inbound.id,
        status: 'stored',
        promptTokens: 3,
        completionTokens: 1,
      },
    })
    await db.conversationEvent.create({
      data: { conversationId: conversation.id, fromState: 'bot', toState: 'agent', actorType: 'staff', actorId: staff.id, reason: 'claim' },
    })
    await db.auditLog.create({
      data: { actorType: 'staff', actorId: staff.id, action: 'conversation.claim', targetType: 'conversation', targetId: conversation.id },
    })

    const loaded = await db.conversation.findUniqueOrThrow({
      where: { id: conversation.id },
      include: {
        bot: true,
        channel: true,
        endUser: true,
        assignee: true,
        messages: { include: { replyTo: true, reply: true, authorUser: true, authorStaff: true } },
        events: true,
      },
    })
    expect(loaded.bot.settings).toEqual({ trigger: 'mention' })
    expect(loaded.channel.title).toBe('Demo')
    expect(loaded.endUser?.unionid).toBe('u1')
    expect(loaded.assignee?.email).toBe('a@example.com')
    expect(loaded.messages.find((m) => m.id === inbound.id)?.reply?.id).toBe(reply.id)
    expect(loaded.messages.find((m) => m.id === reply.id)?.replyTo?.text).toBe('你好')
    expect(loaded.events).toHaveLength(1)
    expect(await db.auditLog.count()).toBe(1)
    expect(typeof inbound.id).toBe('bigint')
  })

  it('stores the handoff models: teams, sessions, canned responses, notes and handoff facts', async () => {
    const { db } = database
    const bot = await db.bot.create({ data: { name: 'handoff-bot' } })
    const staff = await db.staff.create({ data: { email: 'h@example.com', role: 'agent', passwordHash: 'x', capacity: 3 } })
    const team = await db.team.create({
      data: { name: 'Support', bots: { create: [{ botId: bot.id }] }, members: { create: [{ staffId: staff.id }] } },
    })
    await db.staffSession.create({ data: { staffId: staff.id, tokenHash: 'h1', expiresAt: new Date(Date.now() + 1000) } })
    await db.cannedResponse.create({ data: { shortcut: 'hi', text: '您好', createdById: staff.id } })
    const channel = await db.channel.create({ data: { botId: bot.id, kind: 'wechat_private', externalId: 'wxid_h' } })
    const now = new Date()
    const conversation = await db.conversation.create({
      data: {
        botId: bot.id,
        channelId: channel.id,
        scopeKey: 'h',
        state: 'agent',
        assigneeId: staff.id,
        teamId: team.id,
        handoffAt: now,
        handoffReason: 'asked for a person',
        assignedAt: now,
        firstResponseAt: now,
        summary: 'wants a refund',
        summarySource: 'extractive',
        rating: 5,
        ratingAskedAt: now,
      },
    })
    await db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        role: 'note',
        text: 'VIP',
        status: 'stored',
        authorStaffId: staff.id,
      },
    })
    const loaded = await db.team.findUniqueOrThrow({
      where: { id: team.id },
      include: {
        bots: { include: { bot: true } },
        members: { include: { staff: { include: { sessions: true, cannedResponses: true } } } },
        conversations: true,
      },
    })
    expect(loaded.bots.map((b) => b.bot.name)).toEqual(['handoff-bot'])
    expect(loaded.members[0]!.staff.sessions).toHaveLength(1)
    expect(loaded.members[0]!.staff.cannedResponses[0]!.text).toBe('您好')
    expect(loaded.conversations[0]).toMatchObject({
      summary: 'wants a refund',
      summarySource: 'extractive',
      rating: 5,
      handoffReason: 'asked for a person',
    })
    expect(await db.message.count({ where: { role: 'note' } })).toBe(1)
  })

  it('stores model endpoints with the bots they answer for, and API keys with their creator', async () => {
    const { db } = database
    const endpoint = await db.modelEndpoint.create({
      data: {
        name: 'qwen-local',
        kind: 'openai',
        baseUrl: 'http://gpu-1:8000/v1',
        model: 'Qwen2.5-7B',
        apiKeyVariable: 'QWEN_KEY',
        replicas: 2,
        concurrency: 16,
        leavesNetwork: false,
      },
    })
    await db.bot.create({ data: { name: 'endpoint-bot', modelEndpointId: endpoint.id } })
    const staff = await db.staff.create({ data: { email: 'k@example.com', role: 'admin', passwordHash: 'x' } })
    await db.apiKey.create({ data: { name: 'crm', prefix: 'chorus_ab', hash: 'h-1', createdById: staff.id } })
    const loaded = await db.modelEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, include: { bots: true } })
    expect(loaded.bots.map((b) => b.name)).toEqual(['endpoint-bot'])
    expect(loaded).toMatchObject({ kind: 'openai', replicas: 2, enabled: true, ggufPath: null })
    expect((await db.staff.findUniqueOrThrow({ where: { id: staff.id }, include: { apiKeys: true } })).apiKeys[0]!.prefix).toBe('chorus_ab')
  })

  it('stores a bot’s similar questions once per FAQ question and wording, deleted with the bot', async () => {
    const { db } = database
    const bot = await db.bot.create({ data: { name: 'similar-bot' } })
    const data = { botId: bot.id, faqQuestion: '几点退房？', similar: '能睡个懒觉吗' }
    await db.knowledgeSimilarQuestion.create({ data })
    await expect(db.knowledgeSimilarQuestion.create({ data })).rejects.toMatchObject({ code: 'P2002' })
    const loaded = await db.bot.findUniqueOrThrow({ where: { id: bot.id }, include: { similarQuestions: true } })
    expect(loaded.similarQuestions).toMatchObject([data])
    await db.bot.delete({ where: { id: bot.id } })
    expect(await db.knowledgeSimilarQuestion.count({ where: { botId: bot.id } })).toBe(0)
  })

  it('stores a WeCom customer-service account with its bot and cursor; the account outlives its bot, unlinked', async () => {
    const { db } = database
    const bot = await db.bot.create({ data: { name: 'wecom-bot' } })
    await db.wecomKfAccount.create({ data: { openKfId: 'wk-schema', botId: bot.id, cursor: 'c-1' } })
    const channel = await db.channel.create({ data: { botId: bot.id, kind: 'wecom_kf', externalId: 'wk-schema/wm-customer' } })
    const loaded = await db.bot.findUniqueOrThrow({ where: { id: bot.id }, include: { wecomKfAccounts: true } })
    expect(loaded.wecomKfAccounts).toMatchObject([{ openKfId: 'wk-schema', cursor: 'c-1', lastError: null }])
    expect(channel.kind).toBe('wecom_kf')
    await db.bot.delete({ where: { id: bot.id } })
    expect(await db.wecomKfAccount.findUniqueOrThrow({ where: { openKfId: 'wk-schema' } })).toMatchObject({ botId: null, cursor: 'c-1' })
  })

  it('rejects a second message with the same platform id in one channel', async () => {
    const { db } = database
    const channel = await db.channel.findFirstOrThrow()
    const conversation = await db.conversation.findFirstOrThrow()
    const data = {
      conversationId: conversation.id,
      channelId: channel.id,
      role: 'user' as const,
      text: 'x',
      status: 'received' as const,
      platformMessageId: 'dup',
    }
    await db.message.create({ data })
    await expect(db.message.create({ data })).rejects.toMatchObject({ code: 'P2002' })
  })

  it('keeps one open conversation per channel scope but allows a new one after resolving', async () => {
    const { db } = database
    const bot = await db.bot.findFirstOrThrow()
    const channel = await db.channel.create({ data: { botId: bot.id, kind: 'wechat_private', externalId: 'wxid_2' } })
    const open = { botId: bot.id, channelId: channel.id, scopeKey: 'k' }
    const first = await db.conversation.create({ data: open })
    await expect(db.conversation.create({ data: open })).rejects.toMatchObject({ code: 'P2002' })
    await db.conversation.update({ where: { id: first.id }, data: { state: 'resolved' } })
    await expect(db.conversation.create({ data: open })).resolves.toMatchObject({ state: 'bot' })
  })
})
