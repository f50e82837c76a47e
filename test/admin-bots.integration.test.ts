import { ConversationKeys } from '@chorus/conversation'
import { startSimulatorServer, type RunningSimulator } from '@chorus/inference-simulator'
import { connectRedis } from '@chorus/redis'
import { GenerationLog } from './support/generation-log.js'
import { sharedStack } from './support/shared-stack.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { inboundOf } from './support/stored-messages.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

interface BotView {
  id: string
  name: string
  persona: string
  enabled: boolean
  settings: { language: string; trigger: { prefixes: string[]; mention: boolean } }
  modelEndpoint: { id: string; name: string } | null
}

interface EndpointView {
  id: string
  name: string
  liveReplicas: Array<{ id: string }>
  bots: Array<{ id: string }>
}

describe('admin: bots, model endpoints and the pool', () => {
  const stack = sharedStack({ env: admin })
  let root: StaffClient
  let agent: StaffClient
  let second: RunningSimulator | undefined

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await root.ok('POST', '/api/staff', { email: 'ann@example.com', displayName: 'Ann', password: 'agent-password-1', role: 'agent' }, 201)
    agent = await StaffClient.login(stack().api.url, 'ann@example.com', 'agent-password-1')
  })

  afterAll(async () => {
    await second?.close()
  })

  it('keeps every admin route from agents (403) and from strangers (401)', async () => {
    const routes = [
      ['GET', '/api/bots'],
      ['POST', '/api/bots'],
      ['PATCH', '/api/bots/x'],
      ['POST', '/api/bots/x/test-chat'],
      ['GET', '/api/bots/x/wechat'],
      ['GET', '/api/model-endpoints'],
      ['POST', '/api/model-endpoints'],
      ['PATCH', '/api/model-endpoints/x'],
      ['DELETE', '/api/model-endpoints/x'],
      ['POST', '/api/model-endpoints/test'],
      ['GET', '/api/pool'],
    ] as const
    for (const [method, path] of routes) {
      expect([method, path, (await agent.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {})).status]).toEqual([
        method,
        path,
        403,
      ])
      const anonymous = await fetch(`${stack().api.url}${path}`, { method })
      expect([method, path, anonymous.status]).toEqual([method, path, 401])
    }
  })

  it('creates a bot with a persona, validates its settings, and changes one section without losing the rest', async () => {
    const created = await root.ok<{ bot: BotView }>(
      'POST',
      '/api/bots',
      { name: 'Travel', persona: '你是杭州旅行社的客服。', settings: { language: 'en', trigger: { prefixes: ['/t'] } } },
      201,
    )
    expect(created.bot).toMatchObject({
      name: 'Travel',
      enabled: true,
      settings: { language: 'en', trigger: { prefixes: ['/t'], mention: true } },
    })
    expect((await root.call('POST', '/api/bots', { name: 'Travel' })).status).toBe(409)
    const invalid = await root.call<{ error: { message: string } }>('POST', '/api/bots', { name: 'Bad', settings: { language: 'fr' } })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.message).toContain('language')

    const changed = await root.ok<{ bot: BotView }>('PATCH', `/api/bots/${created.bot.id}`, {
      settings: { trigger: { prefixes: ['/trip'] } },
    })
    expect(changed.bot.settings).toMatchObject({ language: 'en', trigger: { prefixes: ['/trip'] } })
    const list = await root.ok<{ bots: BotView[] }>('GET', '/api/bots')
    expect(list.bots.map((b) => b.name)).toEqual(['Chorus', 'Travel'])
    const audit = await stack().database.db.auditLog.findMany({ where: { targetId: created.bot.id }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['bot.create', 'bot.update'])
  })

  it('answers in the test chat with the bot’s persona, storing nothing', async () => {
    const bot = (await root.ok<{ bots: BotView[] }>('GET', '/api/bots')).bots.find((b) => b.name === 'Travel')!
    const systems: string[] = []
    const replica = stack().simulator.replica
    const generate = replica.generate.bind(replica)
    replica.generate = async (messages, ...rest) => {
      systems.push(String(messages[0]?.content))
      return generate(messages, ...rest)
    }
    const before = await stack().database.db.message.count()
    const reply = await root.ok<{ reply: string }>('POST', `/api/bots/${bot.id}/test-chat`, {
      messages: [{ role: 'user', content: '西湖怎么去？' }],
    })
    replica.generate = generate
    expect(reply.reply).toContain('[simulated]')
    expect(systems).toEqual(['你是杭州旅行社的客服。'])
    expect(await stack().database.db.message.count()).toBe(before)
  })

  it('shows the bot’s WeChat account once the bot is logged in', async () => {
    const chorus = (await root.ok<{ bots: BotView[] }>('GET', '/api/bots')).bots.find((b) => b.name === 'Chorus')!
    const wechat = await root.ok<{ status: string; account: { name: string } | null }>('GET', `/api/bots/${chorus.id}/wechat`)
    expect(wechat).toMatchObject({ status: 'logged_in', account: { name: 'Chorus' } })
  })

  it('shows the QR code to scan while a bot waits for its WeChat login, drawn by the API', async () => {
    const { bot } = await root.ok<{ bot: BotView }>('POST', '/api/bots', { name: 'Scanning' }, 201)
    const redis = connectRedis(stack().env.REDIS_URL!)
    try {
      const login = { url: 'https://login.weixin.qq.com/l/abc', status: 2, at: Date.now() }
      await redis.set(new ConversationKeys(stack().redisPrefix).bot(bot.id, 'qr'), JSON.stringify(login), 'EX', 60)
      const wechat = await root.ok<{ status: string; account: unknown; qr: { url: string; image: string } | null }>(
        'GET',
        `/api/bots/${bot.id}/wechat`,
      )
      expect(wechat).toMatchObject({ status: 'scan_qr', account: null, qr: { ...login } })
      expect(wechat.qr!.image).toMatch(/^data:image\/png;base64,/)
    } finally {
      redis.disconnect()
    }
  })

  it('stops answering in WeChat within 5 s of the bot being disabled, and answers again when enabled', async () => {
    const chorus = (await root.ok<{ bots: BotView[] }>('GET', '/api/bots')).bots.find((b) => b.name === 'Chorus')!
    const sim = new SimulatorClient(stack().api.url)
    let probes = 0
    // A new contact says hello and the bot decides: its stored status (answered, or ignored).
    const probe = async () => {
      const contact = `Olga-${++probes}`
      await sim.say(undefined, { from: contact, text: 'hello?' })
      const [message] = await waitFor(
        async () => {
          const inbound = await inboundOf(stack().database.db, { contact })
          return inbound.length === 1 && inbound[0]!.status !== 'received' && inbound[0]!.status !== 'queued' ? inbound : undefined
        },
        5000,
        `the bot's decision about ${contact}`,
      )
      return message!.status
    }
    await root.ok('PATCH', `/api/bots/${chorus.id}`, { enabled: false })
    const disabledAt = Date.now()
    await waitFor(async () => (await probe()) === 'ignored', 5000, 'the disabled bot ignoring messages')
    expect(Date.now() - disabledAt).toBeLessThan(5000)
    await root.ok('PATCH', `/api/bots/${chorus.id}`, { enabled: true })
    await waitFor(async () => (await probe()) === 'answered', 5000, 'the bot answering again')
  })

  it('adds a model endpoint, tests it, runs its replica, and routes a bot’s prompts to it', async () => {
    second = await startSimulatorServer({ ttftMs: 5, itlMs: 1, replyTokens: 8 })
    const log = GenerationLog.attach(second.replica)
    const settings = {
      name: 'qwen-hangzhou',
      kind: 'openai',
      baseUrl: `${second.url}/v1`,
      model: 'chorus-simulator',
      replicas: 1,
      concurrency: 4,
    }
    const tested = await root.ok<{ ok: boolean; models: string[] }>('POST', '/api/model-endpoints/test', settings)
    expect(tested).toMatchObject({ ok: true, models: ['chorus-simulator'] })
    const unreachable = await root.ok<{ ok: boolean; error: string }>('POST', '/api/model-endpoints/test', {
      ...settings,
      baseUrl: 'http://127.0.0.1:9/v1',
    })
    expect(unreachable.ok).toBe(false)
    expect((await root.call('POST', '/api/model-endpoints', { name: 'no-url', kind: 'openai' })).status).toBe(400)

    const { modelEndpoint } = await root.ok<{ modelEndpoint: EndpointView }>('POST', '/api/model-endpoints', settings, 201)
    await waitFor(
      async () =>
        (await root.ok<{ modelEndpoints: EndpointView[] }>('GET', '/api/model-endpoints')).modelEndpoints[0]!.liveReplicas.length === 1,
      15_000,
      'the endpoint replica live',
    )
    const travel = (await root.ok<{ bots: BotView[] }>('GET', '/api/bots')).bots.find((b) => b.name === 'Travel')!
    const chorus = (await root.ok<{ bots: BotView[] }>('GET', '/api/bots')).bots.find((b) => b.name === 'Chorus')!
    await root.ok('PATCH', `/api/bots/${chorus.id}`, { modelEndpointId: modelEndpoint.id })
    const listed = await root.ok<{ modelEndpoints: EndpointView[] }>('GET', '/api/model-endpoints')
    expect(listed.modelEndpoints[0]!.bots.map((b) => b.id)).toEqual([chorus.id])
    expect(travel.modelEndpoint).toBeNull()

    // The bot's next prompt runs on the endpoint's replica, not the default one.
    const sim = new SimulatorClient(stack().api.url)
    await waitFor(
      async () => {
        await sim.say(undefined, { from: 'Pia', text: `routed ${Date.now()}` })
        await sim.waitForBotLines({ contact: 'Pia' }, 1, 10_000)
        return log.generations.length > 0
      },
      10_000,
      'a prompt on the endpoint',
    )
    expect(log.generations.at(-1)!.userMessages.at(-1)).toMatch(/^routed /)

    // Disabled: its replica stops.
    await root.ok('PATCH', `/api/model-endpoints/${modelEndpoint.id}`, { enabled: false })
    await waitFor(
      async () =>
        (await root.ok<{ modelEndpoints: EndpointView[] }>('GET', '/api/model-endpoints')).modelEndpoints[0]!.liveReplicas.length === 0,
      15_000,
      'the endpoint replica stopped',
    )
    await root.ok('PATCH', `/api/bots/${chorus.id}`, { modelEndpointId: null })
  })

  it('reports the pool: replicas with their queues, and counters the dashboard charts', async () => {
    const pool = await root.ok<{
      workers: number
      replicas: Array<{ model: string; up: boolean; capacity: number }>
      prompts: Record<string, number>
      completionTokens: number
      histograms: { chorus_queue_wait_seconds: { count: number } }
    }>('GET', '/api/pool')
    expect(pool.workers).toBeGreaterThanOrEqual(1)
    expect(pool.replicas.find((r) => r.model === 'chorus-simulator')).toMatchObject({ up: true })
    expect(pool.prompts.completed).toBeGreaterThan(0)
    expect(pool.completionTokens).toBeGreaterThan(0)
    expect(pool.histograms.chorus_queue_wait_seconds.count).toBeGreaterThan(0)
  })
})
