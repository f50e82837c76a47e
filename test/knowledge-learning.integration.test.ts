import { demoKnowledge } from '@chorus/knowledge'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const nothingFound = '抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。'
const droneAnswer = '西湖景区内禁止放飞无人机，请勿在湖面和景点上空航拍。'

interface Group {
  question: string
  count: number
  examples: string[]
  lastAt: string
  outcome: string
}

describe('learning from what the bot could not answer', () => {
  // No model configured: the worker answers from the knowledge base alone.
  const stack = sharedStack({
    env: { ...admin, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' },
    // Never handed to a person after failed answers: the tests ask again until a change applies.
    botSettings: { ...unpaced, handoff: { failuresBeforeHandoff: 0 } },
  })
  let root: StaffClient
  let sim: SimulatorClient
  let botId: string
  let faqAnswer: string

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    sim = new SimulatorClient(stack().api.url)
    botId = (await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
    await root.uploadDemoFaq(botId)
    const demo = demoKnowledge()
    const picker = await root.ok<{ questions: { question: string; document: string }[] }>(
      'GET',
      `/api/bots/${botId}/knowledge/faq-questions`,
    )
    expect(picker.questions).toContainEqual({ question: '住在哪里游西湖最方便？', document: demo.title })
    faqAnswer = `${demo.csv
      .toString('utf8')
      .match(/住在哪里游西湖最方便？,([^\n]+)/)![1]!
      .trim()}\n\n来源：《${demo.title}》`
  })

  const ask = (from: string, text: string) => sim.ask(from, text)
  const askUntil = (from: string, text: string, expected: string) =>
    sim.askUntil(from, text, (reply) => reply === expected, `the reply ${expected}`)

  it('lists questions it could not answer, asked in two wordings, as one group', async () => {
    expect(await ask('Ann', '西湖边能放无人机吗')).toBe(nothingFound)
    expect(await ask('Ben', '西湖边可以放无人机吗？')).toBe(nothingFound)
    const { groups } = await root.ok<{ groups: Group[] }>('GET', `/api/bots/${botId}/knowledge/unanswered?days=30`)
    expect(groups).toContainEqual({
      question: '西湖边可以放无人机吗？',
      count: 2,
      examples: ['西湖边可以放无人机吗？', '西湖边能放无人机吗'],
      lastAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      outcome: 'nothing_found',
    })
    expect((await root.call('GET', `/api/bots/${botId}/knowledge/unanswered?days=0`)).status).toBe(400)
  })

  it('lists a question it asked back about, its reply marked so', async () => {
    expect(await ask('Fay', '导游')).toMatch(/^您是想问：/)
    const [question] = await inboundOf(stack().database.db, { contact: 'Fay' })
    expect(question!.reply?.meta).toEqual({ askedBack: '1' })
    const { groups } = await root.ok<{ groups: Group[] }>('GET', `/api/bots/${botId}/knowledge/unanswered`)
    expect(groups).toContainEqual(expect.objectContaining({ question: '导游', count: 1, outcome: 'asked_back' }))
  })

  it('answers a question attached to an FAQ entry as a similar question with that entry’s answer', async () => {
    expect(await ask('Cat', '附近有共享单车吗')).toBe(nothingFound)
    const { groups } = await root.ok<{ groups: Group[] }>('GET', `/api/bots/${botId}/knowledge/unanswered`)
    expect(groups.map((g) => g.question)).toContain('附近有共享单车吗')

    const path = `/api/bots/${botId}/knowledge/similar-questions`
    const attached = await root.ok<{ id: string }>(
      'POST',
      path,
      { faqQuestion: '住在哪里游西湖最方便？', similar: '附近有共享单车吗' },
      201,
    )
    expect((await root.call('POST', path, { faqQuestion: '住在哪里游西湖最方便？', similar: '附近有共享单车吗' })).status).toBe(409)
    expect((await root.call('POST', path, { faqQuestion: '没有这个问题？', similar: '附近有共享单车吗' })).status).toBe(404)
    const { items } = await root.ok<{ items: { id: string; faqQuestion: string; similar: string }[] }>('GET', path)
    expect(items).toContainEqual(
      expect.objectContaining({ id: attached.id, faqQuestion: '住在哪里游西湖最方便？', similar: '附近有共享单车吗' }),
    )
    const audit = await stack().database.db.auditLog.findFirst({ where: { action: 'knowledge.similar_add', targetId: attached.id } })
    expect(audit).not.toBeNull()

    expect(await askUntil('Cat', '附近有共享单车吗', faqAnswer)).toBe(faqAnswer)

    await root.ok('DELETE', `${path}/${attached.id}`, undefined, 204)
    expect((await root.call('DELETE', `${path}/${attached.id}`)).status).toBe(404)
  })

  it('answers a question from an FAQ entry written from it, in the bot’s learned document', async () => {
    const added = await root.ok(
      'POST',
      `/api/bots/${botId}/knowledge/faq-entries`,
      { question: '西湖边能放无人机吗？', answer: droneAnswer },
      201,
    )
    expect(added).toEqual({ document: '补充问答', question: '西湖边能放无人机吗？' })
    await root.ok('POST', `/api/bots/${botId}/knowledge/faq-entries`, { question: '可以在西湖游泳吗？', answer: '西湖禁止游泳。' }, 201)
    const { questions } = await root.ok<{ questions: { question: string; document: string }[] }>(
      'GET',
      `/api/bots/${botId}/knowledge/faq-questions`,
    )
    // Adding an entry keeps the others of the learned document.
    expect(questions.filter((q) => q.document === '补充问答').map((q) => q.question)).toEqual([
      '西湖边能放无人机吗？',
      '可以在西湖游泳吗？',
    ])

    const expected = `${droneAnswer}\n\n来源：《补充问答》`
    expect(await askUntil('Dan', '西湖边可以放无人机吗', expected)).toBe(expected)
  })

  it('matches a query through the bot’s own synonyms', async () => {
    const score = async (q: string) =>
      (
        await root.ok<{ hits: { text: string; score: number }[] }>('GET', `/api/bots/${botId}/knowledge/search?q=${encodeURIComponent(q)}`)
      ).hits.find((h) => h.text.includes(droneAnswer))?.score ?? 0
    const before = await score('西湖边能放航拍飞行器吗')
    const patched = await root.call('PATCH', `/api/bots/${botId}`, {
      settings: { knowledge: { minScore: 0.35, topK: 4, synonyms: [['无人机', '航拍飞行器']] } },
    })
    expect(patched.status).toBe(200)
    const after = await waitFor(
      async () => {
        const now = await score('西湖边能放航拍飞行器吗')
        return now > before && now
      },
      15_000,
      'the synonym to apply',
    )
    expect(after).toBeGreaterThan(0.8)
    expect((await root.call('PATCH', `/api/bots/${botId}`, { settings: { knowledge: { synonyms: [['only-one']] } } })).status).toBe(400)

    const expected = `${droneAnswer}\n\n来源：《补充问答》`
    expect(await askUntil('Eve', '西湖边能放航拍飞行器吗', expected)).toBe(expected)
  })
})
