import { demoKnowledge, parseDocument } from '@chorus/knowledge'
import { sharedStack } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

interface Hit {
  document: string
  text: string
  score: number
}

const guide = `# 杭州旅行指南

## 西湖游船
画舫每天 8:00 开船，最后一班 17:00。湖滨码头和花港码头都可以上船。

## 灵隐寺
灵隐寺每天 7:00 开门，门票 30 元，飞来峰景区门票另算 45 元。

## 龙井茶园
每年 3 月底到 4 月是采茶季，可以在梅家坞体验炒茶。`

const upload = (root: StaffClient, botId: string, file: { name: string; type: string; bytes: Buffer | string }, title?: string) =>
  root.uploadDocument(botId, file, title)

/** The demo FAQ's answers by question. */
async function demoAnswers(): Promise<Map<string, string>> {
  const { csv } = demoKnowledge()
  const { faqs } = await parseDocument({ filename: 'travel-faq.csv', bytes: csv })
  return new Map(faqs.map((f) => [f.question, f.answer]))
}

/** The questions a "您是想问：" reply offers, in order. */
function offeredIn(text: string): string[] {
  return [...text.matchAll(/^(\d)\. (.+)$/gm)].map((match) => match[2]!)
}

describe('knowledge bases', () => {
  // No model configured: the worker answers from the knowledge base alone.
  const stack = sharedStack({ env: { ...admin, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' } })
  let root: StaffClient
  let botId: string

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    botId = (await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
  })

  it('adds documents as text or files, replaces one by title atomically, and deletes it with its chunks', async () => {
    const { db } = stack().database
    const added = await root.ok<{ id: string; chunks: number }>(
      'POST',
      `/api/bots/${botId}/knowledge/documents`,
      { title: '杭州旅行指南', text: guide },
      201,
    )
    expect(added.chunks).toBe(3)
    const replaced = await upload(
      root,
      botId,
      { name: 'guide.md', type: 'text/markdown', bytes: guide.replace(/## 龙井茶园[\s\S]*$/, '') },
      '杭州旅行指南',
    )
    expect(replaced).toMatchObject({ status: 201, body: { title: '杭州旅行指南', chunks: 2 } })
    // One document of that title, holding only the new chunks.
    const documents = await db.knowledgeDocument.findMany({ where: { botId, title: '杭州旅行指南' }, include: { chunks: true } })
    expect(documents).toHaveLength(1)
    expect(documents[0]!.chunks.map((c) => c.heading)).toEqual(['杭州旅行指南 > 西湖游船', '杭州旅行指南 > 灵隐寺'])
    expect(await db.knowledgeChunk.count({ where: { documentId: added.id } })).toBe(0)

    const unsupported = await upload(root, botId, { name: 'slides.pptx', type: 'application/vnd.ms-powerpoint', bytes: Buffer.from('PK') })
    expect(unsupported.status).toBe(415)

    expect((await root.call('DELETE', `/api/bots/${botId}/knowledge/documents/${documents[0]!.id}`)).status).toBe(204)
    expect(await db.knowledgeChunk.count({ where: { botId } })).toBe(0)
    const audit = await db.auditLog.findMany({ where: { action: { startsWith: 'knowledge.' } }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['knowledge.add', 'knowledge.add', 'knowledge.delete'])
  })

  it('accepts a pasted document larger than the API’s usual body limit, only from a signed-in admin', async () => {
    const text = `# 长文档\n\n${'西湖边的柳树在春天发芽，游客沿着苏堤散步。'.repeat(20_000)}`
    expect(Buffer.byteLength(JSON.stringify({ title: '长文档', text }))).toBeGreaterThan(256 * 1024)
    const anonymous = await fetch(`${stack().api.url}/api/bots/${botId}/knowledge/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '长文档', text }),
    })
    expect(anonymous.status).toBe(401)
    const added = await root.ok<{ chunks: number }>('POST', `/api/bots/${botId}/knowledge/documents`, { title: '长文档', text }, 201)
    expect(added.chunks).toBeGreaterThan(400)
    await root.ok(
      'DELETE',
      `/api/bots/${botId}/knowledge/documents/${(await stack().database.db.knowledgeDocument.findFirstOrThrow({ where: { title: '长文档' } })).id}`,
      undefined,
      204,
    )
  })

  it('finds the right chunk for a Chinese question that shares no whitespace-separated word with it', async () => {
    await root.ok('POST', `/api/bots/${botId}/knowledge/documents`, { title: '杭州旅行指南', text: guide }, 201)
    const question = '灵隐寺门票多少钱'
    const { hits } = await root.ok<{ hits: Hit[] }>('GET', `/api/bots/${botId}/knowledge/search?q=${encodeURIComponent(question)}&k=3`)
    expect(hits[0]!.text).toContain('灵隐寺每天 7:00 开门')
    expect(hits[0]!.score).toBeGreaterThan(hits[1]?.score ?? 0)
    // Split on whitespace, the question is one token that appears nowhere in the chunk's text.
    const tokens = question.split(/\s+/)
    expect(tokens).toEqual([question])
    expect(hits[0]!.text.split(/\s+/).some((token) => tokens.includes(token))).toBe(false)
  })

  it('answers from the FAQ with the built-in answerer, citing the source', async () => {
    const demo = demoKnowledge()
    const uploaded = await upload(root, botId, { name: 'travel-faq.csv', type: 'text/csv', bytes: demo.csv }, demo.title)
    expect(uploaded.status).toBe(201)
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Tao', text: '西湖的游船几点开？' })
    const [reply] = await sim.waitForBotLines({ contact: 'Tao' }, 1, 10_000)
    expect(reply!.text).toBe(
      '画舫每天 8:00 开船，约 20 分钟一班，最后一班 17:00（7～8 月延长到 17:30）。湖滨、花港、中山公园等码头都可上船。遇大风、雷雨时会停航。\n\n来源：《西湖旅行社常见问题》',
    )
    const [question] = await inboundOf(stack().database.db, { contact: 'Tao' })
    expect(question!.reply).toMatchObject({ role: 'assistant', meta: { sources: '西湖旅行社常见问题' } })
  })

  it('asks back when several FAQ entries are about as likely, and answers the number sent back (private chat)', async () => {
    const answers = await demoAnswers()
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Vera', text: '导游' })
    const [asked] = await sim.waitForBotLines({ contact: 'Vera' }, 1, 10_000)
    const offered = offeredIn(asked!.text)
    expect(offered.length).toBeGreaterThanOrEqual(2)
    expect(offered.every((question) => answers.has(question) && question.includes('导游'))).toBe(true)
    // Asking back is neither an answer nor a failure.
    const [question] = await inboundOf(stack().database.db, { contact: 'Vera' })
    expect(question!.reply?.meta).not.toMatchObject({ confidence: 'low' })

    await sim.say(undefined, { from: 'Vera', text: '2' })
    const [, answered] = await sim.waitForBotLines({ contact: 'Vera' }, 2, 10_000)
    expect(answered!.text).toBe(`${answers.get(offered[1]!)}\n\n来源：《西湖旅行社常见问题》`)
  })

  it('in a group, answers the number only from the member who was asked', async () => {
    const answers = await demoAnswers()
    const sim = new SimulatorClient(stack().api.url)
    await sim.say('西湖游客群', { from: 'Wen', text: '@Chorus 西湖游船' })
    const [asked] = await sim.waitForBotLines({ room: '西湖游客群' }, 1, 10_000)
    expect(asked!.text).toMatch(/^@Wen 您是想问：\n1\. /)
    const offered = offeredIn(asked!.text)
    expect(offered.length).toBeGreaterThanOrEqual(2)

    // Another member's number is a question of their own, about nothing.
    await sim.say('西湖游客群', { from: 'Xu', text: '@Chorus 1' })
    const [, other] = await sim.waitForBotLines({ room: '西湖游客群' }, 2, 10_000)
    expect(other!.text).toBe('@Xu 抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。')

    await sim.say('西湖游客群', { from: 'Wen', text: '@Chorus 1' })
    const [, , answered] = await sim.waitForBotLines({ room: '西湖游客群' }, 3, 10_000)
    expect(answered!.text).toBe(`@Wen ${answers.get(offered[0]!)}\n\n来源：《西湖旅行社常见问题》`)
  })

  it('answers each part of a message that asks two things', async () => {
    const answers = await demoAnswers()
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Zed', text: '西湖的游船几点开？另外灵隐寺门票多少钱？' })
    const [reply] = await sim.waitForBotLines({ contact: 'Zed' }, 1, 10_000)
    expect(reply!.text).toBe(
      `${answers.get('西湖游船几点开？最后一班是几点？')}\n\n${answers.get('灵隐寺门票多少钱？')}\n\n来源：《西湖旅行社常见问题》`,
    )
  })

  it('answers in the panel’s test chat exactly as in WeChat', async () => {
    const sim = new SimulatorClient(stack().api.url)
    const questions = ['西湖的游船几点开？', '导游', '你好', '你们卖火箭发动机吗']
    for (const [i, text] of questions.entries()) {
      const from = `Yan${i}`
      await sim.say(undefined, { from, text })
      const [inWeChat] = await sim.waitForBotLines({ contact: from }, 1, 10_000)
      const { reply } = await root.ok<{ reply: string }>('POST', `/api/bots/${botId}/test-chat`, {
        messages: [{ role: 'user', content: text }],
      })
      expect({ text, reply }).toEqual({ text, reply: inWeChat!.text })
    }
  })

  it('says it found nothing and offers a person when the knowledge base has no good answer', async () => {
    const sim = new SimulatorClient(stack().api.url)
    await sim.say(undefined, { from: 'Uli', text: '你们卖火箭发动机吗' })
    const [reply] = await sim.waitForBotLines({ contact: 'Uli' }, 1, 10_000)
    expect(reply!.text).toBe('抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。')
    const stored = await waitFor(
      async () => (await inboundOf(stack().database.db, { contact: 'Uli' }))[0]?.reply ?? undefined,
      5000,
      'the stored reply',
    )
    // The low confidence is kept: it counts towards handing the conversation to a person.
    expect(stored.meta).toMatchObject({ confidence: 'low' })
  })
})
