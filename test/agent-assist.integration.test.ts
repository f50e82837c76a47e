import { pino } from 'pino'
import { parseEnv } from '@chorus/config'
import { seedDemoKnowledge } from '@chorus/knowledge'
import { OpenAICompatibleEngine } from '@chorus/llm'
import { startWorker, workerConfigSchema, type RunningWorker } from '@chorus/worker'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'
import type { TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
// No model configured: the pool's only engine is the knowledge answerer, as `npm start` runs it.
const noModel = { ...admin, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' }
const faq = '西湖旅行社常见问题'
// What the knowledge answerer says to a prompt without sources, and the bot's own "nothing found".
const nothingFound = /我只能根据资料回答|I can only answer from our documents|没有找到这个问题的答案/

interface Summary {
  summary: string
  source: string
}

interface Suggestions {
  suggestions: string[]
  source: string
  sources?: Array<{ document: string; question: string | null }>
  needsModel?: boolean
}

/** An agent of a team serving the stack's bot, online and available. */
async function agentOnDuty(stack: TestStack): Promise<StaffClient> {
  const root = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
  const bot = await stack.database.db.bot.findFirstOrThrow()
  const team = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Support', botIds: [bot.id] }, 201)).team
  const password = 'agent-password-1'
  await root.ok(
    'POST',
    '/api/staff',
    { email: 'alice@example.com', displayName: 'Alice', password, role: 'agent', capacity: 5, teamIds: [team.id] },
    201,
  )
  const alice = await StaffClient.login(stack.api.url, 'alice@example.com', password)
  await alice.goOnline()
  await alice.ok('PUT', '/api/me/availability', { available: true }, 204)
  return alice
}

/** `from` asks the bot `questions` in a private chat, one answer at a time, then sends /human: their conversation, now with the agent. */
async function handedOff(stack: TestStack, from: string, questions: string[]): Promise<string> {
  const sim = new SimulatorClient(stack.api.url)
  for (const [i, text] of questions.entries()) {
    await sim.say(undefined, { from, text })
    await sim.waitForBotLines({ contact: from }, i + 1, 15_000)
  }
  await sim.say(undefined, { from, text: '/human' })
  const conversation = await waitFor(
    async () =>
      (await stack.database.db.conversation.findFirst({ where: { endUser: { displayName: from }, state: 'agent' } })) ?? undefined,
    15_000,
    `${from}'s conversation with the agent`,
  )
  return conversation.id
}

/** `from` writes to the agent; resolves once the message is stored. */
async function tellsTheAgent(stack: TestStack, from: string, text: string): Promise<void> {
  await new SimulatorClient(stack.api.url).say(undefined, { from, text })
  await waitFor(
    async () => (await inboundOf(stack.database.db, { contact: from })).some((m) => m.text === text && m.status === 'delivered'),
    10_000,
    `"${text}" delivered to the agent`,
  )
}

function storedSummary(stack: TestStack, id: string, source: string) {
  return waitFor(
    async () => {
      const row = await stack.database.db.conversation.findUniqueOrThrow({ where: { id } })
      return row.summary !== null && row.summarySource === source ? row.summary : undefined
    },
    15_000,
    `the ${source} handoff summary`,
  )
}

describe('agent assist without a model', () => {
  const stack = sharedStack({ env: noModel, botSettings: unpaced })
  let alice: StaffClient

  beforeAll(async () => {
    await seedDemoKnowledge(stack().database.db, 'Chorus')
    alice = await agentOnDuty(stack())
  })

  afterAll(() => alice.goOffline())

  it('writes an extractive handoff summary: the user’s questions, the start of each answer, and why they asked for a person', async () => {
    const id = await handedOff(stack(), 'Hua', ['退款多久能到账？', '能帮我订一张去火星的船票吗'])
    const expected = [
      '用户的问题：',
      '1. 退款多久能到账？',
      '   机器人答：退款原路返回：微信支付和支付宝一般 1～3 个工作日到账，银行卡 3～7 个工作日到账，具体以银行处理时间为准。',
      '2. 能帮我订一张去火星的船票吗',
      '   机器人在资料里没有找到答案。',
      '转人工原因：用户要求转人工',
    ]
    // Written in the background at the handoff, at once: there is no model to wait for.
    expect(await storedSummary(stack(), id, 'extractive')).toBe(expected.join('\n'))
    const { conversation } = await alice.ok<{ conversation: { summary: string; summarySource: string } }>('GET', `/api/conversations/${id}`)
    expect(conversation).toMatchObject({ summary: expected.join('\n'), summarySource: 'extractive' })

    // Written again on request, with what the user asked since.
    await tellsTheAgent(stack(), 'Hua', '儿童票怎么收费？')
    const again = await alice.ok<Summary>('POST', `/api/conversations/${id}/summary`)
    expect(again).toEqual({
      source: 'extractive',
      summary: [...expected.slice(0, 5), '3. 儿童票怎么收费？', '   还没有人回答。', expected[5]].join('\n'),
    })
    expect(again.summary).not.toMatch(nothingFound)
  })

  it('suggests replies from the knowledge base with their source, and says plainly that suggestions need a model when it has none', async () => {
    const id = await handedOff(stack(), 'Ivy', ['能帮我订一张去火星的船票吗'])
    // The question the user waits on is one the knowledge base cannot answer.
    expect(await alice.ok<Suggestions>('POST', `/api/conversations/${id}/suggestions`)).toEqual({
      suggestions: [],
      source: 'knowledge',
      sources: [],
      needsModel: true,
    })

    await tellsTheAgent(stack(), 'Ivy', '儿童票怎么收费？')
    const found = await alice.ok<Suggestions>('POST', `/api/conversations/${id}/suggestions`)
    expect(found).toMatchObject({ source: 'knowledge' })
    expect(found.needsModel).toBeUndefined()
    expect(found.suggestions.length).toBeGreaterThan(0)
    expect(found.suggestions.length).toBeLessThanOrEqual(3)
    expect(found.sources).toHaveLength(found.suggestions.length)
    expect(found.suggestions[0]).toContain('身高 1.2 米以下的儿童免景区门票')
    expect(found.sources![0]).toEqual({ document: faq, question: '儿童票怎么收费？' })
    expect(found.suggestions.some((s) => nothingFound.test(s))).toBe(false)
  })
})

describe('agent assist when a model joins a pool of knowledge answerers', () => {
  const stack = sharedStack({ env: noModel, botSettings: unpaced })
  let alice: StaffClient
  let modelWorker: RunningWorker | undefined

  beforeAll(async () => {
    await seedDemoKnowledge(stack().database.db, 'Chorus')
    alice = await agentOnDuty(stack())
  })

  afterAll(async () => {
    alice.goOffline()
    await modelWorker?.stop()
  })

  it('writes the extractive summary again with the model, and asks the model, never the knowledge answerer', async () => {
    const id = await handedOff(stack(), 'Jon', ['退款多久能到账？'])
    await storedSummary(stack(), id, 'extractive')

    // A replica with a model comes up beside the knowledge answerer (the stack's inference simulator).
    const engine = new OpenAICompatibleEngine({ baseURL: `${stack().simulator.url}/v1`, model: 'chorus-simulator' })
    modelWorker = await startWorker(parseEnv(workerConfigSchema, stack().env), engine, pino({ level: 'silent' }), { endpoints: false })
    expect(await storedSummary(stack(), id, 'model')).toContain('[simulated]')

    // Both replicas are live: every assist prompt still goes to the model's.
    for (let i = 0; i < 3; i++) {
      const suggestions = await alice.ok<Suggestions>('POST', `/api/conversations/${id}/suggestions`)
      expect(suggestions.source).toBe('model')
      expect(suggestions.suggestions.length).toBeGreaterThan(0)
      expect(suggestions.suggestions.every((s) => s.includes('[simulated]'))).toBe(true)
    }
    const summary = await alice.ok<Summary>('POST', `/api/conversations/${id}/summary`)
    expect(summary.source).toBe('model')
    expect(summary.summary).not.toMatch(nothingFound)
  })
})
