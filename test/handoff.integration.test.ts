import { pino } from 'pino'
import { parseEnv } from '@chorus/config'
import { seedDemoKnowledge } from '@chorus/knowledge'
import { selectEngine, startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { SimulatorClient, type Chat } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'
import type { TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const password = 'agent-password-1'

interface Conversation {
  id: string
  state: string
  assignee: { id: string; displayName: string } | null
}

/** Creates the support team serving the stack's bot, a sales team serving none, and their agents. */
async function staffUp(stack: TestStack) {
  const root = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
  const bot = await stack.database.db.bot.findFirstOrThrow()
  const support = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Support', botIds: [bot.id] }, 201)).team
  const sales = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Sales' }, 201)).team
  const agent = async (displayName: string, teamId: string, capacity: number) => {
    const email = `${displayName.toLowerCase()}@example.com`
    await root.ok('POST', '/api/staff', { email, displayName, password, role: 'agent', capacity, teamIds: [teamId] }, 201)
    const client = await StaffClient.login(stack.api.url, email, password)
    // Away until a test puts them to work.
    await client.ok('PUT', '/api/me/availability', { available: false }, 204)
    return client
  }
  return {
    root,
    support,
    sales,
    alice: await agent('Alice', support.id, 1),
    bob: await agent('Bob', support.id, 5),
    carl: await agent('Carl', sales.id, 5),
  }
}

/** The open (or last) conversation of `chat`'s member `from`, as the admin sees it. */
async function conversationOf(stack: TestStack, chat: Chat, from: string): Promise<Conversation & { rating: number | null }> {
  const found = await waitFor(
    async () =>
      (await stack.database.db.conversation.findFirst({
        where: { channel: 'room' in chat ? { title: chat.room } : { title: chat.contact }, endUser: { displayName: from } },
        orderBy: { createdAt: 'desc' },
        include: { assignee: true },
      })) ?? undefined,
    10_000,
    `a conversation of ${from}`,
  )
  return {
    id: found.id,
    state: found.state,
    rating: found.rating,
    assignee: found.assignee ? { id: found.assignee.id, displayName: found.assignee.displayName } : null,
  }
}

async function waitForState(stack: TestStack, id: string, state: string): Promise<void> {
  await waitFor(
    async () => (await stack.database.db.conversation.findUniqueOrThrow({ where: { id } })).state === state,
    10_000,
    `conversation ${id} in ${state}`,
  )
}

/** `from` says hello to the bot in a private chat and gets its answer; their conversation. */
async function answeredPrivately(stack: TestStack, from: string) {
  const chat = { contact: from }
  const sim = new SimulatorClient(stack.api.url)
  await sim.say(undefined, { from, text: 'hello' })
  await sim.waitForBotLines(chat, 1, 10_000)
  return { chat, conversation: await conversationOf(stack, chat, from) }
}

describe('human handoff', () => {
  const stack = sharedStack({ env: admin })
  let team: Awaited<ReturnType<typeof staffUp>>
  const sim = () => new SimulatorClient(stack().api.url)

  beforeAll(async () => {
    team = await staffUp(stack())
  })

  afterEach(async () => {
    for (const agent of [team.alice, team.bob, team.carl]) {
      agent.goOffline()
      await agent.ok('PUT', '/api/me/availability', { available: false }, 204)
    }
  })

  it('puts the conversation in waiting on /human and assigns it within each agent’s capacity', async () => {
    const chat = { room: 'Capacity' }
    await team.alice.goOnline()
    await team.alice.ok('PUT', '/api/me/availability', { available: true }, 204)

    await sim().say(chat.room, { from: 'Uma', text: '@Chorus /human' })
    const lines = await sim().waitForBotLines(chat, 2, 10_000)
    expect(lines.map((l) => l.text)).toEqual(['@Uma 已为你转接人工客服，请稍候，客服会在这里回复你。', '@Uma 人工客服 Alice 为你服务。'])
    const uma = await conversationOf(stack(), chat, 'Uma')
    expect(uma).toMatchObject({ state: 'agent', assignee: { displayName: 'Alice' } })
    const events = await stack().database.db.conversationEvent.findMany({ where: { conversationId: uma.id }, orderBy: { id: 'asc' } })
    expect(events.map((e) => [e.fromState, e.toState, e.actorType, e.reason])).toEqual([
      ['bot', 'waiting', 'user', 'asked for a person'],
      ['waiting', 'agent', 'system', 'auto-assigned'],
    ])

    // Alice's capacity is one: Vic waits, although Alice is online and available.
    await sim().say(chat.room, { from: 'Vic', text: '@Chorus 转人工' })
    await waitFor(async () => (await sim().botLines(chat)).some((l) => l.text.startsWith('@Vic 已为你转接')), 10_000, 'Vic told to wait')
    const vic = await conversationOf(stack(), chat, 'Vic')
    expect(vic.state).toBe('waiting')
    const waiting = await team.alice.ok<{ conversations: Conversation[]; counts: { waiting: number; mine: number } }>(
      'GET',
      '/api/conversations?state=waiting',
    )
    expect(waiting.conversations.map((c) => c.id)).toContain(vic.id)
    expect(waiting.counts.mine).toBe(1)

    // Resolving Uma frees Alice's slot: only then does Vic's conversation go to her.
    await team.alice.ok('POST', `/api/conversations/${uma.id}/resolve`, { rating: 5 })
    await waitForState(stack(), vic.id, 'agent')
    const rows = await stack().database.db.conversation.findMany({ where: { id: { in: [uma.id, vic.id] } } })
    const resolvedAt = rows.find((r) => r.id === uma.id)!.resolvedAt!
    const assignedAt = rows.find((r) => r.id === vic.id)!.assignedAt!
    expect(assignedAt.getTime()).toBeGreaterThanOrEqual(resolvedAt.getTime())
    expect(rows.find((r) => r.id === uma.id)!.rating).toBe(5)
    await team.alice.ok('POST', `/api/conversations/${vic.id}/resolve`, {})
  })

  it('delivers the agent’s reply to the group, mentioning the user and signed with the agent’s name', async () => {
    const chat = { room: 'Signed' }
    await sim().say(chat.room, { from: 'Wes', text: '@Chorus 我的订单到哪了？' })
    await sim().waitForBotLines(chat, 1, 10_000)
    const wes = await conversationOf(stack(), chat, 'Wes')

    await team.bob.ok('POST', `/api/conversations/${wes.id}/claim`)
    const sent = await team.bob.ok<{ message: { id: string } }>(
      'POST',
      `/api/conversations/${wes.id}/messages`,
      { text: '您好，我来帮您查一下。' },
      201,
    )
    const lines = await sim().waitForBotLines(chat, 3, 10_000)
    expect(lines.slice(1).map((l) => l.text)).toEqual(['@Wes 人工客服 Bob 为你服务。', '@Wes 您好，我来帮您查一下。\n—— Bob'])
    const stored = await stack().database.db.message.findUniqueOrThrow({ where: { id: BigInt(sent.message.id) } })
    expect(stored).toMatchObject({ role: 'agent', authorStaffId: team.bob.id, status: 'delivered' })
    expect((await stack().database.db.conversation.findUniqueOrThrow({ where: { id: wes.id } })).firstResponseAt).not.toBeNull()

    // Agent assist: the model's summary of the handoff (written in the background) and suggested replies.
    const summary = await waitFor(
      async () => (await stack().database.db.conversation.findUniqueOrThrow({ where: { id: wes.id } })).summary ?? undefined,
      10_000,
      'the handoff summary',
    )
    expect(summary).toContain('[simulated]')
    const { suggestions } = await team.bob.ok<{ suggestions: string[] }>('POST', `/api/conversations/${wes.id}/suggestions`)
    expect(suggestions.length).toBeGreaterThan(0)
    expect(suggestions.every((s) => s.length > 0)).toBe(true)

    // A private note stays in the console: never sent to the group.
    await team.bob.ok('POST', `/api/conversations/${wes.id}/notes`, { text: 'VIP customer' }, 201)
    const detail = await team.bob.ok<{ conversation: { messages: Array<{ role: string; text: string }> } }>(
      'GET',
      `/api/conversations/${wes.id}`,
    )
    expect(detail.conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'agent', 'note'])

    // Only the assignee replies; a colleague must claim first, and cannot while Bob has it.
    expect((await team.alice.call('POST', `/api/conversations/${wes.id}/messages`, { text: 'me too' })).status).toBe(409)
    expect((await team.alice.call('POST', `/api/conversations/${wes.id}/claim`)).status).toBe(409)
    await team.bob.ok('POST', `/api/conversations/${wes.id}/resolve`, {})
    expect((await sim().botLines(chat)).filter((l) => l.text.includes('VIP'))).toEqual([])
  })

  it('gives the conversation back to the bot on release, and the bot answers again', async () => {
    const { chat, conversation: xia } = await answeredPrivately(stack(), 'Xia')
    await team.bob.ok('POST', `/api/conversations/${xia.id}/claim`)
    await sim().waitForBotLines(chat, 2, 10_000)

    // While Bob owns it, Xia's messages are his: the bot says nothing.
    await sim().say(undefined, { from: 'Xia', text: 'are you a person?' })
    const forBob = await waitFor(
      async () => (await inboundOf(stack().database.db, chat)).find((m) => m.text === 'are you a person?' && m.status === 'delivered'),
      10_000,
      'the message stored for Bob',
    )
    expect(forBob.reply).toBeNull()

    await team.bob.ok('POST', `/api/conversations/${xia.id}/release`)
    await waitForState(stack(), xia.id, 'bot')
    const released = await sim().waitForBotLines(chat, 3, 10_000)
    expect(released[2]!.text).toBe('人工服务已结束，接下来由 Chorus 继续为你解答。')
    await sim().say(undefined, { from: 'Xia', text: 'thanks, and the weather?' })
    const answered = await sim().waitForBotLines(chat, 4, 10_000)
    expect(answered[3]!.text).toContain('[simulated]')
    const events = await stack().database.db.conversationEvent.findMany({ where: { conversationId: xia.id }, orderBy: { id: 'asc' } })
    expect(events.map((e) => [e.fromState, e.toState, e.actorId])).toEqual([
      ['bot', 'agent', team.bob.id],
      ['agent', 'bot', team.bob.id],
    ])
  })

  it('transfers a conversation to a colleague and to a team queue', async () => {
    const { chat, conversation: yan } = await answeredPrivately(stack(), 'Yan')
    await team.bob.ok('POST', `/api/conversations/${yan.id}/claim`)

    // To Alice: she owns it now, and Yan is told who is helping.
    await team.bob.ok('POST', `/api/conversations/${yan.id}/transfer`, { staffId: team.alice.id })
    expect(await conversationOf(stack(), chat, 'Yan')).toMatchObject({ state: 'agent', assignee: { displayName: 'Alice' } })
    const lines = await sim().waitForBotLines(chat, 3, 10_000)
    expect(lines[2]!.text).toBe('人工客服 Alice 为你服务。')
    expect((await team.bob.call('POST', `/api/conversations/${yan.id}/messages`, { text: 'still me' })).status).toBe(409)

    // Carl is not in a team serving this bot: he cannot be given it.
    expect((await team.alice.call('POST', `/api/conversations/${yan.id}/transfer`, { staffId: team.carl.id })).status).toBe(409)

    // To the support team's queue: it waits for whichever support agent is free.
    await team.alice.ok('POST', `/api/conversations/${yan.id}/transfer`, { teamId: team.support.id })
    expect(await conversationOf(stack(), chat, 'Yan')).toMatchObject({ state: 'waiting', assignee: null })
    await team.bob.goOnline()
    await team.bob.ok('PUT', '/api/me/availability', { available: true }, 204)
    await waitForState(stack(), yan.id, 'agent')
    expect((await conversationOf(stack(), chat, 'Yan')).assignee?.displayName).toBe('Bob')
    await team.bob.ok('POST', `/api/conversations/${yan.id}/resolve`, { rating: 4 })
  })

  it('asks for a rating on resolve and stores the digit the user sends back', async () => {
    const { chat, conversation: zoe } = await answeredPrivately(stack(), 'Zoe')
    await team.alice.ok('POST', `/api/conversations/${zoe.id}/claim`)
    await team.alice.ok('POST', `/api/conversations/${zoe.id}/resolve`, {})
    const asked = await sim().waitForBotLines(chat, 3, 10_000)
    expect(asked[2]!.text).toContain('请为本次服务打分')

    await sim().say(undefined, { from: 'Zoe', text: '4' })
    const thanked = await sim().waitForBotLines(chat, 4, 10_000)
    expect(thanked[3]!.text).toBe('感谢你的评价！')
    expect(await conversationOf(stack(), chat, 'Zoe')).toMatchObject({ id: zoe.id, state: 'resolved', rating: 4 })
    const audit = await stack().database.db.auditLog.findMany({ where: { targetId: zoe.id }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['conversation.claim', team.alice.id],
      ['conversation.resolve', team.alice.id],
    ])
  })

  it('lets only one of two agents claiming at once win; the other gets 409', async () => {
    const { chat, conversation: abe } = await answeredPrivately(stack(), 'Abe')
    const results = await Promise.all([
      team.alice.call('POST', `/api/conversations/${abe.id}/claim`),
      team.bob.call('POST', `/api/conversations/${abe.id}/claim`),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const winner = results[0]!.status === 200 ? team.alice : team.bob
    expect((await conversationOf(stack(), chat, 'Abe')).assignee?.id).toBe(winner.id)
    const events = await stack().database.db.conversationEvent.findMany({ where: { conversationId: abe.id } })
    expect(events).toHaveLength(1)
    await winner.ok('POST', `/api/conversations/${abe.id}/resolve`, {})
  })

  it('answers 403 to an agent of another team, and 401 without a valid session', async () => {
    const { conversation: ben } = await answeredPrivately(stack(), 'Ben')
    for (const [method, path] of [
      ['GET', `/api/conversations/${ben.id}`],
      ['POST', `/api/conversations/${ben.id}/claim`],
      ['POST', `/api/conversations/${ben.id}/messages`],
    ] as const) {
      const result = await team.carl.call(method, path, method === 'POST' ? { text: 'hi' } : undefined)
      expect([path, result.status]).toEqual([path, 403])
    }
    const inbox = await team.carl.ok<{ conversations: Conversation[] }>('GET', '/api/conversations')
    expect(inbox.conversations.map((c) => c.id)).not.toContain(ben.id)
    expect((await team.carl.call('GET', '/api/conversations/00000000-0000-0000-0000-000000000000')).status).toBe(404)
    // Admins see everything.
    expect((await team.root.call('GET', `/api/conversations/${ben.id}`)).status).toBe(200)

    const anonymous = await fetch(`${stack().api.url}/api/conversations`)
    expect(anonymous.status).toBe(401)
    // A token stops working once its session is signed out.
    const session = await StaffClient.login(stack().api.url, 'carl@example.com', password)
    await session.ok('POST', '/api/auth/logout', undefined, 204)
    expect((await session.call('GET', '/api/me')).status).toBe(401)
  })

  it('keeps the user with the bot when no agent is online, and tells them so', async () => {
    const chat = { contact: 'Cai' }
    await sim().say(undefined, { from: 'Cai', text: '/human' })
    const [notice] = await sim().waitForBotLines(chat, 1, 10_000)
    expect(notice!.text).toContain('暂时没有人工客服在线')
    expect((await conversationOf(stack(), chat, 'Cai')).state).toBe('bot')
  })

  it('counts for an agent every conversation they handled, released ones too', async () => {
    const email = 'dora@example.com'
    await team.root.ok('POST', '/api/staff', { email, displayName: 'Dora', password, role: 'agent', teamIds: [team.support.id] }, 201)
    const dora = await StaffClient.login(stack().api.url, email, password)
    await dora.ok('PUT', '/api/me/availability', { available: false }, 204)
    for (const name of ['Dan', 'Dee', 'Dot']) {
      const { conversation } = await answeredPrivately(stack(), name)
      await dora.ok('POST', `/api/conversations/${conversation.id}/claim`)
      await dora.ok('POST', `/api/conversations/${conversation.id}/release`)
    }
    const stats = await team.root.ok<{ agents: Array<{ name: string; conversations: number }> }>('GET', '/api/stats/handoff')
    expect(stats.agents.find((a) => a.name === 'Dora')?.conversations).toBe(3)
  })

  it('reports handoff figures per bot and agent in /metrics and the stats API', async () => {
    const metrics = await (await fetch(`${stack().api.url}/metrics`)).text()
    expect(metrics).toMatch(/chorus_handoffs_total\{bot="Chorus",agent="Alice"\} [1-9]/)
    expect(metrics).toMatch(/chorus_agent_first_response_seconds_count\{bot="Chorus",agent="Bob"\} [1-9]/)
    expect(metrics).toMatch(/chorus_satisfaction_rating_sum\{bot="Chorus",agent="Alice"\} [1-9]/)
    const stats = await team.root.ok<{
      bots: Array<{ name: string; handoffRate: number }>
      agents: Array<{ name: string; rating: number | null }>
    }>('GET', '/api/stats/handoff')
    expect(stats.bots.find((b) => b.name === 'Chorus')!.handoffRate).toBeGreaterThan(0)
    expect(stats.agents.find((a) => a.name === 'Alice')!.rating).not.toBeNull()
  })
})

describe('human handoff with only an admin', () => {
  const stack = sharedStack({ env: admin })

  it('assigns the conversation to the admin when they are online and available', async () => {
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const me = await root.ok<{ id: string; displayName: string; available: boolean }>('GET', '/api/me')
    expect(me.available).toBe(true)
    await root.goOnline()
    try {
      const chat = { contact: 'Ada' }
      const sim = new SimulatorClient(stack().api.url)
      await sim.say(undefined, { from: 'Ada', text: '/human' })
      const lines = await sim.waitForBotLines(chat, 2, 10_000)
      expect(lines.map((l) => l.text)).toEqual([
        '已为你转接人工客服，请稍候，客服会在这里回复你。',
        `人工客服 ${me.displayName} 为你服务。`,
      ])
      expect(await conversationOf(stack(), chat, 'Ada')).toMatchObject({ state: 'agent', assignee: { id: me.id } })
    } finally {
      root.goOffline()
    }
  })

  it('keeps the user with the bot while the admin is away', async () => {
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await root.ok('PUT', '/api/me/availability', { available: false }, 204)
    await root.goOnline()
    try {
      const chat = { contact: 'Bea' }
      const sim = new SimulatorClient(stack().api.url)
      await sim.say(undefined, { from: 'Bea', text: '/human' })
      const [notice] = await sim.waitForBotLines(chat, 1, 10_000)
      expect(notice!.text).toContain('暂时没有人工客服在线')
      expect((await conversationOf(stack(), chat, 'Bea')).state).toBe('bot')
    } finally {
      root.goOffline()
      await root.ok('PUT', '/api/me/availability', { available: true }, 204)
    }
  })
})

describe('human handoff with a prompt already queued', () => {
  const stack = sharedStack({ env: admin, worker: false })
  let worker: RunningWorker | undefined

  afterAll(async () => {
    await worker?.stop()
  })

  it('keeps the bot silent once an agent takes over, even for a job queued before, and answers again after release', async () => {
    const { bob } = await staffUp(stack())
    const chat = { contact: 'Dai' }
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Dai', text: 'first question' })
    const [queued] = await waitFor(
      async () => {
        const rows = await inboundOf(stack().database.db, chat)
        return rows[0]?.status === 'queued' ? rows : undefined
      },
      10_000,
      'the question queued (no worker runs yet)',
    )
    const dai = await conversationOf(stack(), chat, 'Dai')
    await bob.ok('POST', `/api/conversations/${dai.id}/claim`)

    // Now a worker starts and finds the job: the prompt is the agent's, nothing is generated.
    const config = parseEnv(workerConfigSchema, stack().env)
    worker = await startWorker(config, await selectEngine(config), pino({ level: 'silent' }))
    await bob.ok('POST', `/api/conversations/${dai.id}/release`)
    await sim.say(undefined, { from: 'Dai', text: 'second question' })
    const lines = await sim.waitForBotLines(chat, 3, 15_000)
    expect(lines.map((l) => l.text.includes('[simulated]'))).toEqual([false, false, true])
    const rows = await inboundOf(stack().database.db, chat)
    expect(rows.find((m) => m.id === queued!.id)).toMatchObject({ status: 'delivered', reply: null })
    expect(rows.find((m) => m.text === 'second question')?.status).toBe('answered')
  })
})

describe('human handoff when the bot fails', () => {
  // One failure is enough here: with the model server gone the replica is marked down, and a
  // second prompt would wait for it to come back rather than fail at once.
  const stack = sharedStack({ env: admin, botSettings: { ...unpaced, handoff: { failuresBeforeHandoff: 1 } } })

  it('hands the conversation to a person when the bot could not answer', async () => {
    const { alice } = await staffUp(stack())
    await alice.goOnline()
    await alice.ok('PUT', '/api/me/availability', { available: true }, 204)
    // The model server goes away: the answer fails.
    await stack().simulator.close()
    const chat = { contact: 'Eva' }
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Eva', text: 'where is my refund?' })
    const lines = await sim.waitForBotLines(chat, 3, 20_000)
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringContaining('Sorry'),
      '抱歉，我没能回答你的问题，已为你转接人工客服，请稍候。',
      '人工客服 Alice 为你服务。',
    ])
    const eva = await conversationOf(stack(), chat, 'Eva')
    expect(eva).toMatchObject({ state: 'agent', assignee: { displayName: 'Alice' } })
    const events = await stack().database.db.conversationEvent.findMany({ where: { conversationId: eva.id }, orderBy: { id: 'asc' } })
    expect(events[0]).toMatchObject({ fromState: 'bot', toState: 'waiting', actorType: 'system', reason: 'the bot failed to answer' })
    alice.goOffline()
  })
})

describe('small talk and failed answers with nobody to hand over to', () => {
  // No model: the worker answers from the demo FAQ alone, as `npm start` does. No agent exists,
  // so after two failed answers (the default) nobody can take the conversation.
  const stack = sharedStack({ env: { ...admin, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' }, botSettings: unpaced })
  const noMatch = '抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。'
  const welcome = '不客气，还有其他问题随时问我。'

  it('answers greetings and thanks, never as failures, and after two failures says what the user can do, once', async () => {
    await seedDemoKnowledge(stack().database.db, 'Chorus')
    const chat = { contact: 'Gus' }
    const sim = new SimulatorClient(stack().api.url)
    const ask = async (text: string, lines: number) => {
      await sim.say(undefined, { from: 'Gus', text })
      return (await sim.waitForBotLines(chat, lines, 15_000)).map((line) => line.text)
    }
    await ask('你好！', 1)
    await ask('你们卖火箭发动机吗', 2)
    await ask('谢谢', 3)
    expect(await ask('能帮我订一张去火星的船票吗', 5)).toEqual([
      '您好！我是Chorus，有什么可以帮您？',
      noMatch,
      welcome,
      noMatch,
      '抱歉，我没能回答你的问题，现在也没有人工客服在线。你可以换个说法再问我，或稍后发送 /human 转人工。',
    ])
    // A third failure in a row is answered as before, without the notice again.
    await ask('你们卖潜水艇吗', 6)
    expect((await ask('thanks 🙏', 7)).slice(5)).toEqual([noMatch, welcome])

    const gus = await conversationOf(stack(), chat, 'Gus')
    expect(gus.state).toBe('bot')
    expect(await stack().database.db.conversationEvent.count({ where: { conversationId: gus.id } })).toBe(0)
    const rows = await inboundOf(stack().database.db, chat)
    expect(rows.find((m) => m.text === '你好！')?.reply).toMatchObject({ role: 'assistant', meta: { smallTalk: 'greeting' } })
    expect(rows.find((m) => m.text === '谢谢')?.reply?.meta).toEqual({ smallTalk: 'thanks' })
  })
})
