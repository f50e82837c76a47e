import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { panelStack } from './support/browser.js'
import { SimulatorClient } from './support/simulator-client.js'
import { waitFor } from './support/wait-for.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'agent-console')

const admin = { email: 'admin@chorus.test', password: 'admin-password-1' }
const agent = { email: 'li.na@chorus.test', displayName: 'Li Na', password: 'agent-password-1' }
// A colleague who is online and available but full (capacity 1, one conversation held): the
// handoff then finds someone who can come, so it waits, yet nobody is auto-assigned.
const colleague = { email: 'zhang.wei@chorus.test', displayName: 'Zhang Wei', password: 'agent-password-2' }

/** A small client of the staff API for what the test sets up outside the browser. */
class StaffApi {
  constructor(
    private readonly url: string,
    private readonly token?: string,
  ) {}

  static async login(url: string, email: string, password: string): Promise<StaffApi> {
    const { token } = (await new StaffApi(url).call('POST', '/api/auth/login', { email, password }, 200)) as { token: string }
    return new StaffApi(url, token)
  }

  async call(method: string, path: string, body?: unknown, expected = 200): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status} (expected ${expected}): ${text}`)
    return text ? JSON.parse(text) : undefined
  }

  /** Holds the live event stream open, which makes this member of staff online; returns how to close it. */
  async holdLiveStream(): Promise<() => void> {
    const controller = new AbortController()
    const res = await fetch(`${this.url}/api/events`, { headers: { authorization: `Bearer ${this.token}` }, signal: controller.signal })
    if (res.status !== 200 || !res.body) throw new Error(`GET /api/events answered ${res.status}`)
    const reader = res.body.getReader()
    const drain = async () => {
      while (!(await reader.read()).done);
    }
    // Aborting at the end of the test rejects the pending read: that is the stream closing as asked.
    drain().catch(() => undefined)
    return () => controller.abort()
  }
}

/** The id of what a create route returned, bare (`{"id"}`) or wrapped (`{"team":{"id"}}`). */
function idOf(body: unknown): string {
  const record = body as Record<string, unknown>
  if (typeof record.id === 'string') return record.id
  const inner = Object.values(record).find(
    (value): value is { id: string } => !!value && typeof (value as { id?: unknown }).id === 'string',
  )
  if (!inner) throw new Error(`no id in ${JSON.stringify(body)}`)
  return inner.id
}

/** A list route's array, bare or wrapped in an object. */
function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[]
  const arrays = Object.values(body as Record<string, unknown>).filter(Array.isArray)
  return (arrays[0] ?? []) as T[]
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
}

describe('the agent console', () => {
  const panel = panelStack({ env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password } })
  const closers: (() => void)[] = []
  beforeAll(() => mkdirSync(artifacts, { recursive: true }))
  afterAll(() => {
    for (const close of closers) close()
  })

  it('shows a handoff live under Waiting, claims it, replies in the group signed with the agent’s name, and releases it to the bot', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const simulator = new SimulatorClient(url)

    // As the admin: a team serving the bot, the agent, and a colleague with room for one conversation.
    const adminApi = await StaffApi.login(url, admin.email, admin.password)
    const bot = await stack.database.db.bot.findFirstOrThrow()
    const teamId = idOf(await adminApi.call('POST', '/api/teams', { name: 'Support', botIds: [bot.id] }, 201))
    const agentId = idOf(await adminApi.call('POST', '/api/staff', { ...agent, role: 'agent', teamIds: [teamId] }, 201))
    const colleagueId = idOf(
      await adminApi.call('POST', '/api/staff', { ...colleague, role: 'agent', capacity: 1, teamIds: [teamId] }, 201),
    )

    // The colleague is online and takes one conversation, which fills them.
    const colleagueApi = await StaffApi.login(url, colleague.email, colleague.password)
    closers.push(await colleagueApi.holdLiveStream())
    await waitFor(
      async () =>
        listOf<{ id: string; online?: boolean }>(await adminApi.call('GET', '/api/staff')).find((s) => s.id === colleagueId)?.online,
      10_000,
      'the colleague to be online',
    )
    await simulator.say('Other group', { from: 'Zhao Lei', text: '@Chorus 你好' })
    await simulator.waitForBotLines({ room: 'Other group' }, 1, 15_000)
    const other = await waitFor(
      async () =>
        listOf<{ id: string; channel: { title: string | null } }>(await colleagueApi.call('GET', '/api/conversations')).find(
          (c) => c.channel.title === 'Other group',
        ),
      10_000,
      'the other group’s conversation',
    )
    await colleagueApi.call('POST', `/api/conversations/${other.id}/claim`, {})

    // The agent is away, so the handoff below waits for a manual claim rather than being auto-assigned.
    const agentApi = await StaffApi.login(url, agent.email, agent.password)
    await agentApi.call('PUT', '/api/me/availability', { available: false }, 204)

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    // Strings, not functions: the test is type-checked without the DOM's types.
    await page.addInitScript({ content: "localStorage.setItem('chorus.language', 'en')" })
    await page.goto(`${url}/`)
    await page.getByTestId('login-email').fill(agent.email)
    await page.getByTestId('login-password').fill(agent.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('inbox-tab-waiting').waitFor()
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="availability-toggle"][aria-checked="false"]').waitFor()
    await page.getByTestId('inbox-tab-waiting').click()
    await page.locator('[data-testid="count-waiting"]', { hasText: /^0$/ }).waitFor()
    // Set after sign-in: still there at the end means the page never reloaded.
    await page.evaluate('window.consoleNeverReloaded = true')
    await screenshot(page, '01-signed-in')

    // A user in a WeChat group asks for a person; the console shows it without a reload.
    await simulator.say('Support group', { from: 'Wang Fang', text: '@Chorus /human' })
    const row = page.locator('[data-testid="conversation-row"][data-state="waiting"]', { hasText: 'Support group' })
    await row.waitFor({ timeout: 15_000 })
    await page.locator('[data-testid="count-waiting"]', { hasText: /^1$/ }).waitFor()
    const conversationId = await row.getAttribute('data-conversation-id')
    expect(conversationId).toBeTruthy()
    await screenshot(page, '02-waiting')

    await row.click()
    await page.locator('[data-testid="conversation-state"][data-state="waiting"]').waitFor()
    await page.locator('[data-testid="message"][data-role="user"]', { hasText: '/human' }).waitFor()
    expect(await page.getByTestId('composer-input').isDisabled()).toBe(true)
    await page.getByTestId('claim-button').click()
    await page.locator('[data-testid="conversation-state"][data-state="agent"]').waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="count-mine"]', { hasText: /^1$/ }).waitFor()
    expect((await stack.database.db.conversation.findUniqueOrThrow({ where: { id: conversationId! } })).assigneeId).toBe(agentId)
    await screenshot(page, '03-claimed')

    const reply = 'Hello Wang Fang, I am looking into your order now.'
    const composer = page.getByTestId('composer-input')
    await composer.click()
    await composer.pressSequentially(reply, { delay: 5 })
    await page.getByTestId('send-button').click()
    await page.locator('[data-testid="message"][data-role="agent"]', { hasText: reply }).waitFor({ timeout: 10_000 })
    expect(await composer.inputValue()).toBe('')
    const delivered = await waitFor(
      async () => (await simulator.botLines({ room: 'Support group' })).find((line) => line.text.includes(reply)),
      15_000,
      'the agent’s reply in the group',
    )
    expect(delivered.text).toContain(agent.displayName)
    await screenshot(page, '04-replied')

    await page.getByTestId('release-button').click()
    await page.locator('[data-testid="conversation-state"][data-state="bot"]').waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="count-mine"]', { hasText: /^0$/ }).waitFor()
    expect(await page.getByTestId('composer-input').isDisabled()).toBe(true)
    await screenshot(page, '05-released')

    expect(await page.evaluate('window.consoleNeverReloaded')).toBe(true)
    const stored = await stack.database.db.conversation.findUniqueOrThrow({ where: { id: conversationId! } })
    expect(stored.state).toBe('bot')
    expect(stored.assigneeId).toBeNull()
    await context.close()
  }, 120_000)
})
