import { ReplicaRegistry } from '@chorus/pool'
import { ConversationKeys } from '@chorus/conversation'
import { connectRedis } from '@chorus/redis'
import { startSimulatorServer, type RunningSimulator } from '@chorus/inference-simulator'
import { GenerationLog } from './support/generation-log.js'
import { SimulatorChat } from './support/simulator-chat.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

// About 0.6 s per reply: long enough that what a test sends meanwhile surely arrives mid-generation.
const slowModel = { ttftMs: 5, itlMs: 30, replyTokens: 20 }

let stack: TestStack | undefined
let restartedModel: RunningSimulator | undefined

afterEach(async () => {
  await restartedModel?.close()
  await stack?.stop()
  restartedModel = undefined
  stack = undefined
})

/** The messages of `contact`'s private chat in PostgreSQL, oldest first. */
function storedChat(running: TestStack, contact: string) {
  return running.database.db.message.findMany({
    where: { channel: { kind: 'wechat_private', title: contact } },
    orderBy: { id: 'asc' },
  })
}

describe('scheduling a conversation’s prompts', () => {
  it('answers two quick messages from one person once, replying to the latest and superseding the first', async () => {
    const running = (stack = await startTestStack({ simulator: slowModel, env: { CHORUS_WORKER_CONCURRENCY: '1' } }))
    const generations = GenerationLog.attach(running.simulator.replica)
    const chat = new SimulatorChat(running.api.url)

    // Someone else's prompt takes the only slot, so Alice's messages both wait in the queue.
    await chat.say('Blocker', 'I take the only slot')
    await generations.until((g) => g.length === 1, 10_000, "Blocker's generation to start")
    await chat.say('Alice', 'first')
    await chat.say('Alice', 'second')

    await chat.waitForBotLines('Blocker', 1, 10_000)
    await chat.waitForBotLines('Alice', 1, 10_000)
    // A later conversation's reply goes through the same pool and outbox: by the time it is
    // delivered, a second reply to Alice would have been too.
    await chat.say('Carol', 'anyone there?')
    await chat.waitForBotLines('Carol', 1, 10_000)

    const aliceLines = await chat.privateChat('Alice')
    expect(aliceLines.map((l) => [l.self, l.self ? 'reply' : l.text])).toEqual([
      [false, 'first'],
      [false, 'second'],
      [true, 'reply'],
    ])
    expect(aliceLines[2]!.text).toContain('[simulated]')

    const stored = await storedChat(running, 'Alice')
    const first = stored.find((m) => m.text === 'first')!
    const second = stored.find((m) => m.text === 'second')!
    const replies = stored.filter((m) => m.role === 'assistant')
    expect(first.status).toBe('superseded')
    expect(second.status).toBe('answered')
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({ replyToId: second.id, status: 'delivered' })
    expect(aliceLines[2]!.text).toContain(replies[0]!.text.trim())

    // One generation for Alice, and its prompt held both of her messages.
    const alice = generations.generations.filter((g) => g.userMessages.includes('second') || g.userMessages.includes('first'))
    expect(alice.map((g) => g.userMessages)).toEqual([['first', 'second']])
  })

  it('stores each person’s back-to-back messages in the order they sent them', async () => {
    const running = (stack = await startTestStack())
    const chat = new SimulatorChat(running.api.url)
    const people = Array.from({ length: 15 }, (_, i) => `Quick${i + 1}`)
    const texts = ['one', 'two', 'three']

    // One person after the other, each sending all three before the bot has handled the first.
    for (const person of people) {
      for (const text of texts) await chat.say(person, text)
      const inbound = await waitFor(
        async () => {
          const rows = (await storedChat(running, person)).filter((m) => m.role === 'user')
          return rows.length === texts.length && rows.every((m) => m.status !== 'received') ? rows : undefined
        },
        10_000,
        `${person}'s messages stored and handled`,
      )
      expect(inbound.map((m) => m.text)).toEqual(texts)
    }
  })

  it('answers one person’s messages one at a time and in order, even when the pool has room for more', async () => {
    const running = (stack = await startTestStack({ simulator: slowModel, env: { CHORUS_WORKER_CONCURRENCY: '4' } }))
    const generations = GenerationLog.attach(running.simulator.replica)
    const chat = new SimulatorChat(running.api.url)
    const questions = ['question one', 'question two', 'question three']

    // Each message arrives while the previous one's answer is being generated.
    for (const question of questions) {
      await chat.say('Alice', question)
      await generations.until((g) => g.some((x) => x.userMessages.at(-1) === question), 10_000, `the generation for "${question}"`)
    }
    const botLines = await chat.waitForBotLines('Alice', 3, 15_000)
    await generations.until((g) => g.every((x) => x.endedAt !== undefined), 5_000, 'every generation to end')

    expect(generations.generations.map((g) => g.userMessages.at(-1))).toEqual(questions)
    expect(GenerationLog.maxOverlap(generations.generations)).toBe(1)

    const stored = await storedChat(running, 'Alice')
    const asked = questions.map((q) => stored.find((m) => m.role === 'user' && m.text === q)!)
    const replies = stored.filter((m) => m.role === 'assistant')
    expect(asked.map((m) => m.status)).toEqual(['answered', 'answered', 'answered'])
    expect(replies.map((r) => r.replyToId)).toEqual(asked.map((m) => m.id))
    expect(replies.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered'])
    // The premise: questions two and three were stored before the answer to the one before them.
    expect(asked[1]!.createdAt.getTime()).toBeLessThan(replies[0]!.createdAt.getTime())
    expect(asked[2]!.createdAt.getTime()).toBeLessThan(replies[1]!.createdAt.getTime())
    expect(botLines.map((l) => l.text.trim())).toEqual(replies.map((r) => r.text.trim()))

    // The one-at-a-time order is per conversation: two people's prompts do run side by side.
    const before = generations.generations.length
    await Promise.all([chat.say('Bob', 'hello from Bob'), chat.say('Dan', 'hello from Dan')])
    await Promise.all([chat.waitForBotLines('Bob', 1, 10_000), chat.waitForBotLines('Dan', 1, 10_000)])
    expect(GenerationLog.maxOverlap(generations.generations.slice(before))).toBe(2)
  })

  it('tells some people honestly to come back later when the queue is too long, and loses no message', async () => {
    const running = (stack = await startTestStack({
      simulator: { ttftMs: 5, itlMs: 20, replyTokens: 20 },
      env: { CHORUS_WORKER_CONCURRENCY: '1', CHORUS_MAX_QUEUE_WAIT_MS: '1000' },
    }))
    const chat = new SimulatorChat(running.api.url)
    // One answer first, so the replica has measured (and announced) how long a reply takes.
    await chat.say('Warmup', 'how long does an answer take?')
    await chat.waitForBotLines('Warmup', 1, 10_000)
    const redis = connectRedis(running.env.REDIS_URL!)
    try {
      const registry = new ReplicaRegistry(redis, new ConversationKeys(running.redisPrefix))
      await waitFor(async () => (await registry.live()).some((r) => r.serviceMs > 0), 5_000, 'the measured service time')
    } finally {
      redis.disconnect()
    }

    const people = Array.from({ length: 12 }, (_, i) => `Crowd${String(i + 1).padStart(2, '0')}`)
    for (const person of people) await chat.say(person, `a question from ${person}`)
    for (const person of people) await chat.waitForBotLines(person, 1, 20_000)
    // Someone who asks after the rush is answered normally; by then any second reply would be out.
    await chat.say('Latecomer', 'is it quieter now?')
    const late = await chat.waitForBotLines('Latecomer', 1, 10_000)
    expect(late[0]!.text).toContain('[simulated]')

    const stored = await running.database.db.message.findMany({
      where: { channel: { kind: 'wechat_private', title: { in: people } } },
      include: { channel: true, reply: true },
      orderBy: { id: 'asc' },
    })
    const inbound = stored.filter((m) => m.role === 'user')
    expect(inbound.map((m) => m.channel.title).sort()).toEqual(people)
    const refused = inbound.filter((m) => m.status === 'refused')
    const answered = inbound.filter((m) => m.status === 'answered')
    expect(refused.length).toBeGreaterThan(0)
    expect(answered.length).toBeGreaterThan(0)
    expect(refused.length + answered.length).toBe(people.length)
    for (const message of refused) {
      expect(message.reply?.text).toContain('请')
      expect(message.reply?.text).toContain('try again in')
    }
    for (const message of answered) expect(message.reply?.text).toContain('[simulated]')
    expect(inbound.every((m) => m.reply?.status === 'delivered')).toBe(true)

    for (const person of people) {
      const lines = await chat.privateChat(person)
      expect(lines.map((l) => l.self)).toEqual([false, true])
      const message = inbound.find((m) => m.channel.title === person)!
      expect(lines[1]!.text).toContain(message.reply!.text.trim())
    }
  })

  it('sends one clear failure notice when the model server is down, and answers again once it is back', async () => {
    const running = (stack = await startTestStack({ simulator: { ttftMs: 5, itlMs: 1, replyTokens: 8 } }))
    const modelPort = Number(new URL(running.simulator.url).port)
    await running.simulator.close()
    const chat = new SimulatorChat(running.api.url)

    const started = Date.now()
    await chat.say('Erin', 'is anybody home?')
    const [notice] = await chat.waitForBotLines('Erin', 1, 20_000)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(notice!.text).toContain('Sorry')
    const [question] = await storedChat(running, 'Erin')
    expect(question).toMatchObject({ role: 'user', text: 'is anybody home?', status: 'failed' })

    // The model server comes back on the same address; the replica is probed up again.
    restartedModel = await startSimulatorServer({ ttftMs: 5, itlMs: 1, replyTokens: 8 }, modelPort)
    const generations = GenerationLog.attach(restartedModel.replica)
    await chat.say('Erin', 'and now?')
    await chat.waitForBotLines('Erin', 2, 15_000)

    const lines = await chat.privateChat('Erin')
    expect(lines.map((l) => (l.self ? 'bot' : l.text))).toEqual(['is anybody home?', 'bot', 'and now?', 'bot'])
    expect(lines[1]!.text).toBe(notice!.text)
    expect(lines[3]!.text).toContain('[simulated]')
    const stored = await storedChat(running, 'Erin')
    expect(stored.map((m) => [m.replyToId === null ? m.text : 'reply', m.status])).toEqual([
      ['is anybody home?', 'failed'],
      ['reply', 'delivered'],
      ['and now?', 'answered'],
      ['reply', 'delivered'],
    ])
    expect(stored[1]!.replyToId).toBe(stored[0]!.id)
    expect(stored[3]!.replyToId).toBe(stored[2]!.id)
    // The failed question stays out of the next prompt (the worker's one-token health probe aside).
    expect(generations.answering('and now?').map((g) => g.userMessages)).toEqual([['and now?']])
  })
})
