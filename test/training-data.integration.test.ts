import busboy from 'busboy'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI, { toFile } from 'openai'
import { z } from 'zod'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const nothingFound = '抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。'
const phone = '13812345678'
const idNumber = '11010519491231002X'

interface Pair {
  id: string
  question: string
  answer: string
  source: string
  status: string
}

const openAILine = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1) })).min(2),
})

/**
 * A stand-in for OpenAI's `POST /v1/files` that checks, as OpenAI does before fine-tuning, that
 * every line of an uploaded `fine-tune` file is one chat example.
 */
async function startFilesStandIn(): Promise<{ server: Server; url: string; uploads: string[] }> {
  const uploads: string[] = []
  const server = createServer((req, res) => {
    const form = busboy({ headers: req.headers })
    let purpose = ''
    let body = ''
    form.on('field', (name, value) => name === 'purpose' && (purpose = value))
    form.on('file', (_name, stream) => stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8'))))
    form.on('close', () => {
      const lines = body.trimEnd().split('\n')
      const bad = lines.findIndex((line) => !openAILine.safeParse(JSON.parse(line)).success)
      if (purpose !== 'fine-tune' || bad !== -1) {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({ error: { message: `line ${bad + 1} is not a chat example`, type: 'invalid_request_error', param: 'file' } }),
        )
        return
      }
      uploads.push(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          id: 'file-1',
          object: 'file',
          bytes: body.length,
          created_at: 0,
          filename: 'train.jsonl',
          purpose,
          status: 'processed',
        }),
      )
    })
    req.pipe(form)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, uploads }
}

describe('training data from real conversations', () => {
  // No model: the knowledge answerer answers, and says so when it finds nothing.
  const stack = sharedStack({
    env: { ...admin, CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' },
    botSettings: { ...unpaced, handoff: { failuresBeforeHandoff: 0 } },
  })
  let root: StaffClient
  let sim: SimulatorClient
  let botId: string

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    sim = new SimulatorClient(stack().api.url)
    botId = (await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
    await root.ok(
      'POST',
      `/api/bots/${botId}/knowledge/faq-entries`,
      { question: '西湖游船几点开？', answer: '游船每天8:00到17:00运营。' },
      201,
    )
  })

  const ask = (from: string, text: string) => sim.ask(from, text)
  /** Asks until the bot finds an answer (workers reread a bot's changed knowledge within 5 s). */
  const askUntilAnswered = (from: string, text: string) =>
    sim.askUntil(from, text, (reply) => reply !== nothingFound, `an answer to ${text}`)

  /** The bot's last answer in `from`'s conversation, with the conversation. */
  async function lastAnswer(from: string): Promise<{ conversationId: string; messageId: string }> {
    const message = await stack().database.db.message.findFirstOrThrow({
      where: { role: 'assistant', conversation: { endUser: { displayName: from } } },
      orderBy: { id: 'desc' },
    })
    return { conversationId: message.conversationId, messageId: String(message.id) }
  }

  it('makes candidates of agents’ ratings, corrections and replies, datasets of what admins accept, exports of those, and an erasure reaches them all', async () => {
    const db = stack().database.db
    // A good answer, rated good.
    expect(await askUntilAnswered('Lin', '游船几点开')).toContain('8:00到17:00')
    const good = await lastAnswer('Lin')
    const rated = await root.ok<{ pair: Pair }>(
      'POST',
      `/api/conversations/${good.conversationId}/messages/${good.messageId}/rating`,
      { rating: 'good' },
      201,
    )
    expect(rated.pair).toMatchObject({ question: '游船几点开', source: 'rated_good', status: 'candidate' })
    expect(rated.pair.answer).toContain('8:00到17:00')

    // A question it found nothing for, corrected by the agent (who writes personal data in it).
    expect(await ask('Lin', '能带无人机吗')).toBe(nothingFound)
    const weak = await lastAnswer('Lin')
    const path = `/api/conversations/${weak.conversationId}/messages/${weak.messageId}/rating`
    const refused = await root.call<{ error: { message: string } }>('POST', path, { rating: 'bad' })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('a bad answer needs the better answer')
    const better = `景区内禁止放飞无人机。登记请致电${phone}，并出示身份证${idNumber}。`
    const corrected = await root.ok<{ pair: Pair }>('POST', path, { rating: 'bad', betterAnswer: better }, 201)
    expect(corrected.pair).toMatchObject({ question: '能带无人机吗', answer: better, source: 'agent_correction' })
    const question = await db.message.findFirstOrThrow({ where: { conversationId: weak.conversationId, role: 'user' } })
    expect(
      (await root.call('POST', `/api/conversations/${weak.conversationId}/messages/${question.id}/rating`, { rating: 'good' })).status,
    ).toBe(400)

    // A question the bot could not answer, then a person asked for: the agent's reply answers the question.
    expect(await ask('Mei', '可以开发票吗')).toBe(nothingFound)
    // Whether or not a person is online to be assigned, an agent can take the conversation over.
    await ask('Mei', '/human')
    const mei = await db.conversation.findFirstOrThrow({ where: { endUser: { displayName: 'Mei' } } })
    await root.ok('POST', `/api/conversations/${mei.id}/claim`)
    await root.ok('POST', `/api/conversations/${mei.id}/messages`, { text: '可以的，退房时在前台开具。' }, 201)

    const { pairs } = await root.ok<{ pairs: Pair[] }>('GET', `/api/training/pairs?botId=${botId}`)
    expect(pairs.map((p) => [p.source, p.question])).toEqual([
      ['agent_reply', '可以开发票吗'],
      ['agent_correction', '能带无人机吗'],
      ['rated_good', '游船几点开'],
    ])
    // Reviewed: one edited, one also made an FAQ entry; all accepted.
    const reply = pairs[0]!
    await root.ok('PATCH', `/api/training/pairs/${reply.id}`, {
      status: 'accepted',
      answer: '可以，退房时在前台开具发票。',
      addToKnowledge: true,
    })
    for (const pair of pairs.slice(1)) await root.ok('PATCH', `/api/training/pairs/${pair.id}`, { status: 'accepted' })
    expect((await root.ok<{ pairs: Pair[] }>('GET', `/api/training/pairs?botId=${botId}`)).pairs).toEqual([])
    expect(await db.knowledgeChunk.count({ where: { botId, question: '可以开发票吗' } })).toBe(1)

    // A dataset of everything, half held out; each export parses as its tool reads it, masked.
    const created = await root.ok<{ dataset: { id: string; train: number; test: number } }>(
      'POST',
      '/api/datasets',
      { name: '客服 v1', botId, sources: { pairs: true, faq: true, conversations: true }, testShare: 0.5 },
      201,
    )
    const full = created.dataset
    // Three pairs, two FAQ entries, and the two conversations with an answered question.
    expect(full.train + full.test).toBe(7)
    const exported: Record<string, string> = {}
    for (const format of ['openai', 'sharegpt', 'alpaca']) {
      for (const split of ['train', 'test']) {
        const res = await fetch(`${root.baseUrl}/api/datasets/${full.id}/export?format=${format}&split=${split}`, {
          headers: { authorization: `Bearer ${root.token}` },
        })
        expect(res.status).toBe(200)
        expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename=".+-${split}-${format}\\.jsonl?"`))
        exported[`${format}-${split}`] = await res.text()
      }
    }
    const everything = Object.values(exported).join('\n')
    expect(everything).not.toContain(phone)
    expect(everything).not.toContain(idNumber)
    expect(everything).toContain('[PHONE_1]')
    const openAIExamples = `${exported['openai-train']}${exported['openai-test']}`.trimEnd().split('\n')
    expect(openAIExamples.map((line) => openAILine.parse(JSON.parse(line)))).toHaveLength(7)
    const shareGpt = [...JSON.parse(exported['sharegpt-train']!), ...JSON.parse(exported['sharegpt-test']!)] as Array<{
      conversations: Array<{ from: string; value: string }>
    }>
    expect(shareGpt.flatMap((e) => e.conversations.map((c) => c.from))).not.toContain('system')
    const alpaca = [...JSON.parse(exported['alpaca-train']!), ...JSON.parse(exported['alpaca-test']!)] as Array<{ instruction: string }>
    expect(alpaca.map((e) => e.instruction)).toEqual(
      expect.arrayContaining(['游船几点开', '能带无人机吗', '可以开发票吗', '西湖游船几点开？']),
    )

    // The JSONL goes to a fine-tuning service through the official client as it is.
    const files = await startFilesStandIn()
    try {
      const openai = new OpenAI({ baseURL: files.url, apiKey: 'sk-test', maxRetries: 0 })
      const file = await openai.files.create({
        file: await toFile(Buffer.from(exported['openai-train']!), 'train.jsonl'),
        purpose: 'fine-tune',
      })
      expect(file.status).toBe('processed')
      expect(files.uploads).toEqual([exported['openai-train']])
    } finally {
      files.server.close()
    }

    // Another dataset, never exported, of conversations only.
    const conversationsOnly = await root.ok<{ dataset: { id: string; train: number; test: number } }>(
      'POST',
      '/api/datasets',
      { name: '对话', botId, sources: { pairs: false, conversations: true } },
      201,
    )
    expect(conversationsOnly.dataset.train + conversationsOnly.dataset.test).toBe(2)

    // Mei asks to be forgotten: her pair and examples go, and the exports that held them are named.
    const meiUser = await db.endUser.findFirstOrThrow({ where: { displayName: 'Mei' } })
    const { erased } = await root.ok<{
      erased: { trainingPairs: number; datasetItems: number; exports: Array<{ datasetId: string; format: string; split: string }> }
    }>('DELETE', `/api/end-users/${meiUser.id}`)
    expect(erased.trainingPairs).toBe(1)
    // Her pair and her conversation in the first dataset, her conversation in the second.
    expect(erased.datasetItems).toBe(3)
    expect(erased.exports.length).toBeGreaterThan(0)
    expect(new Set(erased.exports.map((e) => e.datasetId))).toEqual(new Set([full.id]))
    const { datasets } = await root.ok<{ datasets: Array<{ id: string; train: number; test: number; exports: number }> }>(
      'GET',
      '/api/datasets',
    )
    const after = new Map(datasets.map((d) => [d.id, d]))
    expect(after.get(conversationsOnly.dataset.id)).toMatchObject({ exports: 0 })
    expect(after.get(conversationsOnly.dataset.id)!.train + after.get(conversationsOnly.dataset.id)!.test).toBe(1)
    expect(after.get(full.id)).toMatchObject({ exports: 6 })
    expect(await db.trainingPair.count({ where: { botId } })).toBe(2)

    // Every export is in the audit log.
    const audit = await root.ok<{ entries: Array<{ action: string }> }>('GET', '/api/audit?action=dataset.export&limit=50')
    expect(audit.entries).toHaveLength(6)
  }, 120_000)
})
