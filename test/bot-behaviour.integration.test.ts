import type { SimulatorMessage } from '@chorus/protocol'
import { GenerationLog } from './support/generation-log.js'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { SimulatorClient, type Chat } from './support/simulator-client.js'
import { inboundOf, waitForDecided } from './support/stored-messages.js'
import type { TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

const client = (stack: TestStack) => new SimulatorClient(stack.api.url)

/** Waits for the bot's decision about the newest of `count` messages in `chat`; checks it stayed silent. */
async function expectNotAnswered(stack: TestStack, chat: Chat, count = 1) {
  const inbound = await waitForDecided(stack.database.db, chat, count, 10_000)
  const last = inbound.at(-1)!
  // `ignored` is final, and a notice would have been stored with it: no reply can still be coming.
  expect(last.status).toBe('ignored')
  expect(last.reply).toBeNull()
  return last
}

describe('deciding whether a group message is for the bot', () => {
  const stack = sharedStack({ botSettings: { ...unpaced, trigger: { prefixes: ['/ai'], keywords: ['小助手'] } } })

  it('stores a group message without @Chorus and does not answer it, but answers one with @Chorus', async () => {
    const chat = { room: 'Mentions' }
    await client(stack()).say(chat.room, { from: 'Alice', text: 'just chatting with friends' })
    const ignored = await expectNotAnswered(stack(), chat)
    expect(ignored.text).toBe('just chatting with friends')

    await client(stack()).say(chat.room, { from: 'Alice', text: '@Chorus 你好' })
    const [reply] = await client(stack()).waitForBotLines(chat, 1, 10_000)
    expect(reply!.text).toMatch(/^@Alice /)
    expect(reply!.text).toContain('[simulated]')
    const inbound = await waitForDecided(stack().database.db, chat, 2, 10_000)
    expect(inbound.map((m) => [m.text, m.status])).toEqual([
      ['just chatting with friends', 'ignored'],
      ['你好', 'answered'],
    ])
    expect(await client(stack()).botLines(chat)).toHaveLength(1)
  })

  it('answers a message that starts with a trigger prefix, without the prefix, and not a plain message', async () => {
    const chat = { room: 'Prefixes' }
    const generations = GenerationLog.attach(stack().simulator.replica)
    await client(stack()).say(chat.room, { from: 'Bob', text: 'a plain message' })
    await client(stack()).say(chat.room, { from: 'Bob', text: '/ai 你好' })

    const [reply] = await client(stack()).waitForBotLines(chat, 1, 10_000)
    expect(reply!.text).toMatch(/^@Bob .*\[simulated\]/)
    const inbound = await waitForDecided(stack().database.db, chat, 2, 10_000)
    expect(inbound.map((m) => [m.text, m.status])).toEqual([
      ['a plain message', 'ignored'],
      ['你好', 'answered'],
    ])
    // The model was asked "你好", named as Bob's, and never saw the plain message.
    expect(generations.generations.map((g) => g.userMessages)).toEqual([['Bob: 你好']])
  })

  it('answers a message that contains a trigger keyword', async () => {
    const chat = { room: 'Keywords' }
    await client(stack()).say(chat.room, { from: 'Carol', text: '今天天气不错' })
    await client(stack()).say(chat.room, { from: 'Carol', text: '请问小助手在吗' })

    const [reply] = await client(stack()).waitForBotLines(chat, 1, 10_000)
    expect(reply!.text).toMatch(/^@Carol .*\[simulated\]/)
    const inbound = await waitForDecided(stack().database.db, chat, 2, 10_000)
    expect(inbound.map((m) => [m.text, m.status])).toEqual([
      ['今天天气不错', 'ignored'],
      ['请问小助手在吗', 'answered'],
    ])
  })

  it('takes quoting one of its own lines as addressing it, but not quoting someone else', async () => {
    const chat = { room: 'Quotes' }
    const say = (said: Parameters<SimulatorClient['say']>[1]) => client(stack()).say(chat.room, said)
    const lunch = await say({ from: 'Alice', text: 'lunch anyone?' })
    await say({ from: 'Alice', text: '@Chorus 你好' })
    const [botLine] = await client(stack()).waitForBotLines(chat, 1, 10_000)

    // Dan replies to Alice's line: a conversation between people, not for the bot.
    await say({ from: 'Dan', text: 'me!', quote: lunch })
    await expectNotAnswered(stack(), { room: chat.room }, 3)

    // Bob replies to the bot's line without mentioning it.
    await say({ from: 'Bob', text: '什么意思？', quote: botLine!.id })
    const lines = await client(stack()).waitForBotLines(chat, 2, 10_000)
    expect(lines[1]!.text).toMatch(/^@Bob .*\[simulated\]/)
    const inbound = await waitForDecided(stack().database.db, chat, 4, 10_000)
    const bobs = inbound.at(-1)!
    expect(bobs.status).toBe('answered')
    expect(bobs.meta).toMatchObject({ quotedBot: true })
    // The model sees what Bob replied to.
    expect(bobs.text).toMatch(/^什么意思？\n（引用 Chorus：/)
    expect(inbound.find((m) => m.text.startsWith('me!'))!.status).toBe('ignored')
  })
})

describe('where the bot answers', () => {
  const stack = sharedStack({ botSettings: { ...unpaced, groups: { allow: ['Allowed'] }, privateChats: false } })

  it('answers a mention only in a group on the allow-list', async () => {
    await client(stack()).say('Other', { from: 'Eve', text: '@Chorus are you here?' })
    await expectNotAnswered(stack(), { room: 'Other' })

    await client(stack()).say('Allowed', { from: 'Eve', text: '@Chorus are you here?' })
    const [reply] = await client(stack()).waitForBotLines({ room: 'Allowed' }, 1, 10_000)
    expect(reply!.text).toMatch(/^@Eve .*\[simulated\]/)
    expect(await client(stack()).botLines({ room: 'Other' })).toEqual([])
  })

  it('stores but does not answer a private message when private chats are off', async () => {
    await client(stack()).say(undefined, { from: 'Frank', text: 'hello in private' })
    const stored = await expectNotAnswered(stack(), { contact: 'Frank' })
    expect(stored.text).toBe('hello in private')
    expect(await client(stack()).botLines({ contact: 'Frank' })).toEqual([])
  })
})

describe('whose conversation a group message belongs to', () => {
  /** Alice tells the bot a code word, then Bob asks for it, then Alice does; returns what the model got. */
  async function codeWordExchange(stack: TestStack, room: string) {
    const generations = GenerationLog.attach(stack.simulator.replica)
    const chat = { room }
    await client(stack).say(room, { from: 'Alice', text: '@Chorus my code word is pineapple' })
    await client(stack).waitForBotLines(chat, 1, 10_000)
    await client(stack).say(room, { from: 'Bob', text: '@Chorus what is the code word?' })
    await client(stack).waitForBotLines(chat, 2, 10_000)
    await client(stack).say(room, { from: 'Alice', text: '@Chorus and what was my code word?' })
    await client(stack).waitForBotLines(chat, 3, 10_000)
    const inbound = await waitForDecided(stack.database.db, chat, 3, 10_000)
    expect(inbound.map((m) => m.status)).toEqual(['answered', 'answered', 'answered'])
    const prompt = (question: string) => generations.answering(question).map((g) => g.userMessages)
    return {
      conversations: inbound.map((m) => m.conversationId),
      bobsPrompt: prompt('Bob: what is the code word?'),
      alicesSecondPrompt: prompt('Alice: and what was my code word?'),
    }
  }

  describe('by default, one per member', () => {
    const stack = sharedStack({ botSettings: unpaced })

    it('keeps Alice’s and Bob’s conversations apart, so Bob’s prompt does not contain Alice’s message', async () => {
      const { conversations, bobsPrompt, alicesSecondPrompt } = await codeWordExchange(stack(), 'Members')
      const [alice1, bob, alice2] = conversations
      expect(bob).not.toBe(alice1)
      expect(alice2).toBe(alice1)
      expect(bobsPrompt).toEqual([['Bob: what is the code word?']])
      // Alice's own history does carry her earlier message.
      expect(alicesSecondPrompt).toHaveLength(1)
      expect(alicesSecondPrompt[0]).toContain('Alice: my code word is pineapple')
    })
  })

  describe('with sessionScope "group"', () => {
    const stack = sharedStack({ botSettings: { ...unpaced, sessionScope: 'group' } })

    it('shares one conversation among the members, so Bob’s prompt contains Alice’s message', async () => {
      const { conversations, bobsPrompt } = await codeWordExchange(stack(), 'Shared')
      expect(new Set(conversations).size).toBe(1)
      expect(bobsPrompt).toHaveLength(1)
      expect(bobsPrompt[0]).toContain('Alice: my code word is pineapple')
      expect(bobsPrompt[0]!.at(-1)).toBe('Bob: what is the code word?')
      const conversation = await stack().database.db.conversation.findUniqueOrThrow({ where: { id: conversations[0] } })
      expect(conversation).toMatchObject({ scopeKey: '*', endUserId: null })
    })
  })
})

describe('commands', () => {
  const stack = sharedStack({ botSettings: unpaced })

  it('forgets the earlier conversation after /reset and says so', async () => {
    const chat = { contact: 'Resetter' }
    const generations = GenerationLog.attach(stack().simulator.replica)
    const sim = client(stack())
    await sim.say(undefined, { from: 'Resetter', text: 'my name is Zed' })
    await sim.waitForBotLines(chat, 1, 10_000)
    await sim.say(undefined, { from: 'Resetter', text: 'what is my name?' })
    await sim.waitForBotLines(chat, 2, 10_000)
    // Before the reset, history reaches the prompt.
    expect(generations.answering('what is my name?').map((g) => g.userMessages)).toEqual([['my name is Zed', 'what is my name?']])

    await sim.say(undefined, { from: 'Resetter', text: '/reset' })
    const lines = await sim.waitForBotLines(chat, 3, 10_000)
    expect(lines[2]!.text).toBe('好的，我们重新开始吧。之前的对话我已经忘记了。')
    const [first] = await inboundOf(stack().database.db, chat)
    const conversation = await stack().database.db.conversation.findUniqueOrThrow({ where: { id: first!.conversationId } })
    expect(conversation.contextResetAt).not.toBeNull()
    expect(conversation.contextResetAt!.getTime()).toBeGreaterThan(first!.createdAt.getTime())

    await sim.say(undefined, { from: 'Resetter', text: 'what is my name now?' })
    await sim.waitForBotLines(chat, 4, 10_000)
    expect(generations.answering('what is my name now?').map((g) => g.userMessages)).toEqual([['what is my name now?']])
    const inbound = await waitForDecided(stack().database.db, chat, 4, 10_000)
    expect(inbound.map((m) => [m.text, m.status, m.reply?.role])).toEqual([
      ['my name is Zed', 'answered', 'assistant'],
      ['what is my name?', 'answered', 'assistant'],
      ['/reset', 'ignored', 'system'],
      ['what is my name now?', 'answered', 'assistant'],
    ])
  })

  it('tells the user on /human that no one is online, and keeps answering', async () => {
    const chat = { room: 'Handoff' }
    const sim = client(stack())
    const db = stack().database.db
    await sim.say(chat.room, { from: 'Gina', text: '@Chorus /human' })
    const [notice] = await sim.waitForBotLines(chat, 1, 10_000)
    expect(notice!.text).toBe('@Gina 暂时没有人工客服在线，我先继续为你解答，稍后可以再发送 /human 转人工。')
    const [command] = await waitForDecided(db, chat, 1, 10_000)
    expect(command!.reply).toMatchObject({ role: 'system', status: 'delivered' })
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: command!.conversationId }, include: { events: true } })
    expect(conversation.state).toBe('bot')
    expect(conversation.events).toEqual([])

    // The bot keeps helping Gina (the handoff itself is tested in handoff.integration.test.ts).
    await sim.say(chat.room, { from: 'Gina', text: '@Chorus 还在吗？' })
    const lines = await sim.waitForBotLines(chat, 2, 10_000)
    expect(lines[1]!.text).toMatch(/^@Gina .*\[simulated\]/)
  })

  it('answers /help and /status with notices in Chinese by default', async () => {
    const chat = { contact: 'Helen' }
    const sim = client(stack())
    await sim.say(undefined, { from: 'Helen', text: '/help' })
    await sim.waitForBotLines(chat, 1, 10_000)
    await sim.say(undefined, { from: 'Helen', text: '/status' })
    const [help, status] = await sim.waitForBotLines(chat, 2, 10_000)
    expect(help!.text).toContain('我是 Chorus')
    expect(help!.text).toContain('/reset 重新开始对话')
    expect(status!.text).toBe('目前没有在处理你的问题，可以直接提问。')
    const inbound = await waitForDecided(stack().database.db, chat, 2, 10_000)
    expect(inbound.map((m) => m.reply?.role)).toEqual(['system', 'system'])
  })

  describe('with language "en"', () => {
    const english = sharedStack({ botSettings: { ...unpaced, language: 'en' } })

    it('answers /help and /status in English', async () => {
      const chat = { room: 'English' }
      const sim = client(english())
      await sim.say(chat.room, { from: 'Ian', text: '@Chorus /help' })
      await sim.waitForBotLines(chat, 1, 10_000)
      await sim.say(chat.room, { from: 'Ian', text: '@Chorus /status' })
      const [help, status] = await sim.waitForBotLines(chat, 2, 10_000)
      expect(help!.text).toMatch(/^@Ian I'm Chorus and I answer questions\./)
      expect(help!.text).toContain('/human talk to a person')
      expect(status!.text).toBe('@Ian Nothing of yours is waiting; ask away.')
    })
  })
})

describe('sending replies', () => {
  describe('a reply longer than reply.maxChars', () => {
    const maxChars = 300
    // About 400 filler words: a reply several times longer than the limit.
    const stack = sharedStack({ simulator: { replyTokens: 400 }, botSettings: { ...unpaced, reply: { ...unpaced.reply, maxChars } } })

    it('is split into numbered parts under the limit, sent in order', async () => {
      const chat = { room: 'Long' }
      await client(stack()).say(chat.room, { from: 'Alice', text: '@Chorus tell me everything' })
      const lines = await waitFor(
        async () => {
          const own = await client(stack()).botLines(chat)
          const total = /\((\d+)\/(\d+)\)$/.exec(own[0]?.text ?? '')?.[2]
          return total && own.length >= Number(total) ? own : undefined
        },
        15_000,
        'every part of the long reply',
      )
      expect(lines.length).toBeGreaterThanOrEqual(3)
      expect(lines[0]!.text).toMatch(/^@Alice \[simulated\]/)
      lines.forEach((line, i) => {
        expect(line.text.endsWith(`\n(${i + 1}/${lines.length})`)).toBe(true)
        expect(line.text.replace(/^@Alice /, '').length).toBeLessThanOrEqual(maxChars)
      })
      // Nothing lost or reordered: the parts put back together are the stored reply.
      const [question] = await waitForDecided(stack().database.db, chat, 1, 10_000)
      const joined = lines.map((l) => l.text.replace(/^@Alice /, '').replace(/\n\(\d+\/\d+\)$/, '')).join('')
      const squash = (text: string) => text.replace(/\s+/g, '')
      expect(squash(joined)).toBe(squash(question!.reply!.text))
      expect(question!.reply!.text.length).toBeGreaterThan(2 * maxChars)
    })
  })

  describe('when the model is slow', () => {
    const thinkingNoticeMs = 300
    const stack = sharedStack({ simulator: { ttftMs: 1500 }, botSettings: { ...unpaced, reply: { ...unpaced.reply, thinkingNoticeMs } } })

    it('sends one "thinking" notice before the answer, however many messages wait', async () => {
      const chat = { contact: 'Patient' }
      const sim = client(stack())
      for (const text of ['first question', 'second question', 'third question']) await sim.say(undefined, { from: 'Patient', text })
      const inbound = await waitForDecided(stack().database.db, chat, 3, 15_000)
      const answered = inbound.filter((m) => m.status === 'answered')
      expect(inbound.every((m) => m.status === 'answered' || m.status === 'superseded')).toBe(true)
      const lines = await sim.waitForBotLines(chat, answered.length + 1, 10_000)
      expect(lines.map((l) => (l.text.includes('[simulated]') ? 'answer' : l.text))).toEqual([
        '正在思考，请稍等…',
        ...answered.map(() => 'answer'),
      ])
    })
  })

  describe('when the model is fast', () => {
    const thinkingNoticeMs = 300
    const stack = sharedStack({ botSettings: { ...unpaced, reply: { ...unpaced.reply, thinkingNoticeMs } } })

    it('sends no "thinking" notice', async () => {
      const chat = { contact: 'Hasty' }
      const sim = client(stack())
      // A fresh stack's first answer pays for warming up (connections, the new chat): not the model.
      await sim.say(undefined, { from: 'Warmup', text: 'warming up' })
      await sim.waitForBotLines({ contact: 'Warmup' }, 1, 10_000)
      const sentAt = Date.now()
      await sim.say(undefined, { from: 'Hasty', text: 'quick one' })
      const [answer] = await sim.waitForBotLines(chat, 1, 10_000)
      expect(answer!.text).toContain('[simulated]')
      expect(Date.parse(answer!.at) - sentAt).toBeLessThan(thinkingNoticeMs)
      // A notice would have been sent by now: the only way to see one that is not coming is to
      // let its moment pass.
      await new Promise((resolve) => setTimeout(resolve, sentAt + thinkingNoticeMs + 300 - Date.now()))
      expect((await sim.botLines(chat)).map((l) => l.text)).toEqual([answer!.text])
    })
  })
})

describe('messages the model never sees', () => {
  const stack = sharedStack({ botSettings: { ...unpaced, blockedWords: ['违禁'] } })

  it('answers a message WeChat delivers twice only once', async () => {
    const chat = { contact: 'Ivy' }
    const sim = client(stack())
    const message = { from: 'Ivy', text: 'only once please', id: 'behaviour-dup-1' }
    const first = await sim.say(undefined, message)
    expect(await sim.say(undefined, message)).toBe(first)
    await sim.waitForBotLines(chat, 1, 10_000)
    // A later message of the same chat is handled after the re-delivery: once it is answered,
    // a second answer to the first would have been too.
    await sim.say(undefined, { from: 'Ivy', text: 'and this one' })
    await sim.waitForBotLines(chat, 2, 10_000)
    const transcript = await sim.transcript(chat)
    expect(transcript.map((l) => (l.self ? 'bot' : l.text))).toEqual(['only once please', 'bot', 'and this one', 'bot'])
    const inbound = await waitForDecided(stack().database.db, chat, 2, 10_000)
    expect(inbound.map((m) => [m.text, m.status, m.reply?.role])).toEqual([
      ['only once please', 'answered', 'assistant'],
      ['and this one', 'answered', 'assistant'],
    ])
  })

  it('says it cannot read images', async () => {
    const chat = { contact: 'Jack' }
    await client(stack()).say(undefined, { from: 'Jack', kind: 'image' })
    const [notice] = await client(stack()).waitForBotLines(chat, 1, 10_000)
    expect(notice!.text).toContain('图片')
    const [stored] = await waitForDecided(stack().database.db, chat, 1, 10_000)
    expect(stored).toMatchObject({ text: '[图片]', status: 'ignored', meta: { kind: 'image' } })
    expect(stored!.reply).toMatchObject({ role: 'system', meta: { notice: 'imageUnsupported' } })
  })

  it('stores a red packet without answering it', async () => {
    await client(stack()).say(undefined, { from: 'Kate', kind: 'red_packet' })
    const stored = await expectNotAnswered(stack(), { contact: 'Kate' })
    expect(stored).toMatchObject({ text: '[红包]', meta: { kind: 'red_packet' } })
    expect(await client(stack()).botLines({ contact: 'Kate' })).toEqual([])
  })

  it('refuses politely, without asking the model, when a message contains a blocked word', async () => {
    const chat = { contact: 'Mia' }
    const generations = GenerationLog.attach(stack().simulator.replica)
    await client(stack()).say(undefined, { from: 'Mia', text: '这是违禁的问题吗' })
    const [notice] = await client(stack()).waitForBotLines(chat, 1, 10_000)
    expect(notice!.text).toBe('抱歉，这个问题我无法回答。')
    const [stored] = await waitForDecided(stack().database.db, chat, 1, 10_000)
    expect(stored!.status).toBe('refused')
    expect(stored!.reply).toMatchObject({ role: 'system', meta: { notice: 'refused' } })
    expect(generations.generations).toEqual([])
  })

  describe('with media.images "ignore"', () => {
    const ignoring = sharedStack({ botSettings: { ...unpaced, media: { images: 'ignore' } } })

    it('stores an image without answering it', async () => {
      await client(ignoring()).say(undefined, { from: 'Liam', kind: 'image' })
      const stored = await expectNotAnswered(ignoring(), { contact: 'Liam' })
      expect(stored).toMatchObject({ text: '[图片]', meta: { kind: 'image' } })
      expect(await client(ignoring()).botLines({ contact: 'Liam' })).toEqual([])
    })
  })
})

/** Times (ms) of the bot's lines, oldest first. */
const timesOf = (lines: SimulatorMessage[]) => lines.map((l) => Date.parse(l.at))

/**
 * The most a token bucket of `capacity`, refilled at `perSecond`, lets through is `capacity`
 * at once plus the refill since: returns the largest excess over that among any run of lines.
 */
function bucketExcess(times: number[], capacity: number, perSecond: number): number {
  let worst = Number.NEGATIVE_INFINITY
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      worst = Math.max(worst, j - i + 1 - (capacity + (perSecond * (times[j]! - times[i]!)) / 1000))
    }
  }
  return worst
}

describe('under load', () => {
  describe('a burst of 100 messages in one group', () => {
    const perGroupPerMinute = 300 // a bucket of 50, refilled at 5 a second
    const stack = sharedStack({
      botSettings: { ...unpaced, outgoing: { ...unpaced.outgoing, perGroupPerMinute } },
      env: { CHORUS_USER_RATE_PER_MIN: '10000', CHORUS_GROUP_RATE_PER_MIN: '10000' },
    })

    it('keeps every message, answers each at most once, and paces what it sends to the group', async () => {
      const chat = { room: 'Burst' }
      const sim = client(stack())
      const db = stack().database.db
      const members = Array.from({ length: 10 }, (_, i) => `Member${i}`)
      const started = Date.now()
      for (let round = 0; round < 10; round++) {
        await Promise.all(members.map((from) => sim.say(chat.room, { from, text: `@Chorus question ${round} from ${from}` })))
      }

      const inbound = await waitForDecided(db, chat, 100, 20_000)
      const answered = inbound.filter((m) => m.status === 'answered')
      expect(inbound.filter((m) => m.status !== 'answered' && m.status !== 'superseded')).toEqual([])
      expect(answered.every((m) => m.reply?.role === 'assistant')).toBe(true)
      expect(inbound.filter((m) => m.status === 'superseded' && m.reply)).toEqual([])
      // Whoever asked, their latest question was answered.
      for (const member of members) expect(inbound.filter((m) => m.text.endsWith(`from ${member}`)).at(-1)!.status).toBe('answered')

      const lines = await sim.waitForBotLines(chat, answered.length, 30_000)
      await waitFor(
        async () =>
          (await db.message.count({ where: { replyTo: { channel: { title: chat.room } }, status: 'delivered' } })) === answered.length,
        10_000,
        'every reply delivered',
      )
      expect(await sim.botLines(chat)).toHaveLength(answered.length)
      expect(lines.map((l) => l.text.split(' ')[0]).sort()).toEqual(answered.map((m) => `@${m.text.split(' ').at(-1)}`).sort())

      // Never more than the bucket allows (one line of slack for clock rounding)...
      const capacity = Math.ceil(perGroupPerMinute / 6)
      expect(bucketExcess(timesOf(lines), capacity, perGroupPerMinute / 60)).toBeLessThanOrEqual(1)
      // ...and more lines than one bucketful, so the pace did hold some back.
      expect(answered.length).toBeGreaterThan(capacity)
      const minimumMs = ((answered.length - capacity) / (perGroupPerMinute / 60)) * 1000
      expect(timesOf(lines).at(-1)! - started).toBeGreaterThanOrEqual(minimumMs - 500)
    }, 45_000)
  })

  describe('a flood of 200 messages in one group', () => {
    const stack = sharedStack({ botSettings: unpaced, env: { CHORUS_GROUP_RATE_PER_MIN: '60' } })

    it('keeps every message, tells each member at most once that it is busy, and still answers another group quickly', async () => {
      const flood = { room: 'Flood' }
      const calm = { room: 'Calm' }
      const sim = client(stack())
      const db = stack().database.db
      const members = Array.from({ length: 20 }, (_, i) => `Flooder${i}`)
      let calmAskedAt = 0

      // Ten rounds a second apart, one message from each member per round.
      for (let round = 0; round < 10; round++) {
        const roundStart = Date.now()
        await Promise.all(members.map((from) => sim.say(flood.room, { from, text: `@Chorus flood ${round} from ${from}` })))
        if (round === 5) {
          calmAskedAt = Date.now()
          await sim.say(calm.room, { from: 'Zoe', text: '@Chorus is it calm here?' })
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, roundStart + 1000 - Date.now())))
      }
      const [calmReply] = await sim.waitForBotLines(calm, 1, 10_000)
      expect(calmReply!.text).toMatch(/^@Zoe .*\[simulated\]/)
      expect(Date.parse(calmReply!.at) - calmAskedAt).toBeLessThan(5_000)

      const inbound = await waitForDecided(db, flood, 200, 20_000)
      expect(new Set(inbound.map((m) => m.text)).size).toBe(200)
      const refused = inbound.filter((m) => m.status === 'refused')
      expect(refused.length).toBeGreaterThan(0)
      expect(inbound.filter((m) => !['answered', 'superseded', 'refused'].includes(m.status))).toEqual([])
      const busyNotices = refused.filter((m) => m.reply)
      for (const notice of busyNotices) expect(notice.reply).toMatchObject({ role: 'system', meta: { notice: 'rate_limited' } })
      const noticesPerMember = new Map<string, number>()
      for (const m of busyNotices) noticesPerMember.set(m.authorUserId!, (noticesPerMember.get(m.authorUserId!) ?? 0) + 1)
      expect(Math.max(...noticesPerMember.values())).toBe(1)

      // What reached the group: one line per stored reply, each busy notice at most once per member.
      const replies = inbound.filter((m) => m.reply).length
      const lines = await sim.waitForBotLines(flood, replies, 20_000)
      expect(lines).toHaveLength(replies)
      const busyLines = lines.filter((l) => l.text.includes('try again in'))
      expect(busyLines).toHaveLength(busyNotices.length)
      expect(new Set(busyLines.map((l) => l.text.split(' ')[0])).size).toBe(busyLines.length)
    }, 45_000)
  })
})
