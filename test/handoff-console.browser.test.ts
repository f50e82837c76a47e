import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { panelStack } from './support/browser.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'handoff-console')

const admin = { email: 'admin@chorus.test', password: 'admin-password-1' }
const agent = { email: 'li.na@chorus.test', displayName: 'Li Na', password: 'agent-password-1' }

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
}

/** Signs in to the panel in a new browser page, in `language`, and waits for the console to be live. */
async function signIn(browser: Browser, url: string, who: { email: string; password: string }, language: 'en' | 'zh') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  // Strings, not functions: the test is type-checked without the DOM's types.
  await page.addInitScript({ content: `localStorage.setItem('chorus.language', '${language}')` })
  await page.goto(`${url}/`)
  await page.getByTestId('login-email').fill(who.email)
  await page.getByTestId('login-password').fill(who.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('inbox-tab-waiting').waitFor()
  await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 10_000 })
  return { context, page }
}

describe('the console on a fresh install with one admin', () => {
  const panel = panelStack({ env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password } })
  beforeAll(() => mkdirSync(artifacts, { recursive: true }))

  it('gives the admin the handoff, opens it in front of them, all in Chinese, and asks the API for no missing route', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const simulator = new SimulatorClient(url)
    const { context, page } = await signIn(browser, url, admin, 'zh')
    const notFound: string[] = []
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url())
    })
    // Admins are agents too: available unless they say otherwise, and the switch says what that means.
    const toggle = page.locator('[data-testid="availability-toggle"][aria-checked="true"]')
    await toggle.waitFor()
    expect(await toggle.getAttribute('title')).toBe('工作台打开期间，新会话会分配给你。点击切换为暂离。')
    await page.locator('[data-testid="health"][data-status="ok"]').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('health').textContent()).toContain('数据库 正常，Redis 正常')

    // A user asks for a person: the only one who can come is the admin, and it opens in front of them.
    await simulator.say('Support group', { from: 'Wang Fang', text: '@Chorus /human' })
    await page.locator('[data-testid="conversation-state"][data-state="agent"]').waitFor({ timeout: 15_000 })
    await page.locator('[data-testid="notice"]', { hasText: '有一个会话分配给了你。' }).waitFor()
    expect(await page.getByTestId('inbox-tab-mine').getAttribute('aria-selected')).toBe('true')
    await page.locator('[data-testid="count-mine"]', { hasText: /^1$/ }).waitFor()
    const lines = await simulator.waitForBotLines({ room: 'Support group' }, 2, 10_000)
    expect(lines[1]!.text).toContain('人工客服 Admin 为你服务')
    await screenshot(page, '01-admin-assigned')

    // The reply is delivered, and its status and the timeline read in Chinese.
    const reply = '您好，我来帮您看看。'
    await page.getByTestId('composer-input').fill(reply)
    await page.getByTestId('send-button').click()
    await waitFor(
      async () => (await simulator.botLines({ room: 'Support group' })).some((line) => line.text.includes(reply)),
      15_000,
      'the admin’s reply in the group',
    )
    // The user's next message refreshes the conversation, with the reply's status as it is now.
    await simulator.say('Support group', { from: 'Wang Fang', text: '@Chorus 谢谢' })
    await page.locator('[data-testid="message"][data-role="user"]', { hasText: '谢谢' }).waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="message"][data-role="agent"]', { hasText: '状态：已送达' }).waitFor({ timeout: 10_000 })
    const details = (await page.locator('.conversation-details').textContent()) ?? ''
    expect(details).toContain('用户要求转人工')
    expect(details).toContain('自动分配')
    const everything = (await page.locator('body').textContent()) ?? ''
    for (const english of ['delivered', 'auto-assigned', 'asked for a person', 'the bot failed to answer', ' ok'])
      expect(everything).not.toContain(english)
    await screenshot(page, '02-reply-delivered-in-chinese')

    // From the open conversation to an admin page and back: no request to a route that is not there.
    await page.getByTestId('nav-bots').click()
    await page.getByTestId('page-bots').waitFor()
    await page.getByTestId('nav-audit').click()
    await page.locator('[data-testid="audit-row"]').first().waitFor()
    await page.getByTestId('nav-console').click()
    await page.getByTestId('inbox-tab-waiting').waitFor()
    expect(notFound).toEqual([])
    await context.close()
  }, 120_000)
})

describe('the console of an agent at work', () => {
  const panel = panelStack({ env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password } })
  beforeAll(() => mkdirSync(artifacts, { recursive: true }))

  it('shows a conversation auto-assigned to them while they read another: announced, marked new, opened on request', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const simulator = new SimulatorClient(url)
    const adminApi = await StaffClient.login(url, admin.email, admin.password)
    // The admin is away: the agent is the only one conversations go to.
    await adminApi.ok('PUT', '/api/me/availability', { available: false }, 204)
    const bot = await stack.database.db.bot.findFirstOrThrow()
    const { team } = await adminApi.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Support', botIds: [bot.id] }, 201)
    await adminApi.ok('POST', '/api/staff', { ...agent, role: 'agent', teamIds: [team.id] }, 201)

    // The agent reads a conversation the bot is having.
    await simulator.say('Other group', { from: 'Zhao Lei', text: '@Chorus 你好' })
    await simulator.waitForBotLines({ room: 'Other group' }, 1, 15_000)
    const { context, page } = await signIn(browser, url, agent, 'en')
    await page.locator('[data-testid="availability-toggle"][aria-checked="true"]').waitFor()
    await page.getByTestId('inbox-tab-all').click()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Other group' }).click()
    await page.locator('[data-testid="conversation-state"][data-state="bot"]').waitFor()

    // Someone in another group asks for a person: it is the agent's at once, and they are told.
    await simulator.say('Support group', { from: 'Wang Fang', text: '@Chorus /human' })
    const notice = page.locator('[data-testid="notice"]', { hasText: 'A conversation was assigned to you.' })
    await notice.waitFor({ timeout: 15_000 })
    await page.locator('[data-testid="count-mine"]', { hasText: /^1$/ }).waitFor()
    // What they were reading stays open.
    await page.locator('[data-testid="conversation-state"][data-state="bot"]').waitFor()
    await page.getByTestId('inbox-tab-mine').click()
    const arrived = page.locator('[data-testid="conversation-row"][data-arrived="true"]', { hasText: 'Support group' })
    await arrived.waitFor()
    await screenshot(page, '03-assigned-while-reading')

    await notice.getByTestId('notice-action').click()
    await page.locator('[data-testid="conversation-state"][data-state="agent"]').waitFor()
    await page.locator('[data-testid="message"][data-role="user"]', { hasText: '/human' }).waitFor()
    expect(await page.getByTestId('composer-input').isDisabled()).toBe(false)
    // Opened, it is no longer new.
    await page.locator('[data-testid="conversation-row"][data-arrived="true"]').waitFor({ state: 'detached' })
    await screenshot(page, '04-assigned-opened')
    await context.close()
  }, 120_000)
})

describe('the pool dashboard', () => {
  const panel = panelStack({
    env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password },
    poolSampleMs: 250,
  })
  beforeAll(() => mkdirSync(artifacts, { recursive: true }))

  it('draws the last minutes of the pool the moment it opens', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const simulator = new SimulatorClient(url)
    // Prompts answered before anyone looks at the dashboard.
    for (const from of ['Traveller 1', 'Traveller 2', 'Traveller 3']) await simulator.say(undefined, { from, text: 'West Lake boats?' })
    for (const from of ['Traveller 1', 'Traveller 2', 'Traveller 3']) await simulator.waitForBotLines({ contact: from }, 1, 15_000)
    const adminApi = await StaffClient.login(url, admin.email, admin.password)
    await waitFor(
      async () => (await adminApi.ok<{ samples: unknown[] }>('GET', '/api/pool/history')).samples.length >= 12,
      15_000,
      'a few seconds of pool history',
    )

    const { context, page } = await signIn(browser, url, admin, 'en')
    await page.getByTestId('nav-pool').click()
    await page.locator('[data-testid="pool-live"]:not([data-samples="0"])').waitFor()
    // The page polls every 2 s: a dozen samples at once can only be the history.
    expect(Number(await page.getByTestId('pool-live').getAttribute('data-samples'))).toBeGreaterThanOrEqual(12)
    expect(Number(await page.getByTestId('chart-queue-depth').getAttribute('data-points'))).toBeGreaterThanOrEqual(12)
    expect(await page.locator('[data-testid="chart-queue-depth"] polyline').count()).toBeGreaterThan(0)
    expect(Number(await page.getByTestId('chart-tokens-per-second').getAttribute('data-peak'))).toBeGreaterThan(0)
    await screenshot(page, '05-pool-with-history')
    await context.close()
  }, 120_000)
})
