import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { startTestMcpServer } from '@chorus/tools/testing'
import { panelStack } from './support/browser.js'
import { SimulatorClient } from './support/simulator-client.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'admin-panel')

const admin = { email: 'admin@chorus.test', password: 'admin-password-1' }
const agent = { email: 'li.na@chorus.test', displayName: 'Li Na', password: 'agent-password-1' }
const newAgentPassword = 'agent-password-2'

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
}

/** A number from a data attribute ('' and missing are null). */
async function numberAttribute(page: Page, selector: string, name: string): Promise<number | null> {
  const value = await page.locator(selector).getAttribute(name)
  return value === null || value === '' ? null : Number(value)
}

describe('the admin panel', () => {
  // A slow model and two prompts at a time per worker: thirty prompts at once make a queue.
  const panel = panelStack({
    env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password, CHORUS_WORKER_CONCURRENCY: '2' },
    simulator: { ttftMs: 200, itlMs: 30, replyTokens: 20 },
  })
  beforeAll(() => mkdirSync(artifacts, { recursive: true }))

  it('lets an admin run bots, models, the pool, conversations, people, keys and the audit log; agents get the console only', async () => {
    const { stack, browser } = panel()
    const url = stack.api.url
    const simulator = new SimulatorClient(url)
    const adminApi = await StaffClient.login(url, admin.email, admin.password)

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
    const page = await context.newPage()
    // Strings, not functions: the test is type-checked without the DOM's types.
    await page.addInitScript({ content: "localStorage.setItem('chorus.language', 'en')" })
    await page.goto(`${url}/`)
    await page.getByTestId('login-email').fill(admin.email)
    await page.getByTestId('login-password').fill(admin.password)
    await page.getByTestId('login-submit').click()
    // An admin lands in the console, with the admin pages beside it in the navigation bar.
    await page.getByTestId('inbox-tab-waiting').waitFor()
    await page.getByTestId('nav-bots').waitFor()
    await page.evaluate('window.panelNeverReloaded = true')
    await screenshot(page, '01-console-with-navigation')

    // Bots: create "Travel" with a persona, then talk to it in the test chat.
    await page.getByTestId('nav-bots').click()
    await page.getByTestId('bot-create-name').fill('Travel')
    await page.getByTestId('bot-create-persona').fill('You are the cheerful assistant of a travel agency in Hangzhou. Answer briefly.')
    await screenshot(page, '02-bots')
    await page.getByTestId('bot-create-submit').click()
    await page.locator('[data-testid="bot-title"]', { hasText: 'Travel' }).waitFor()
    const travel = await stack.database.db.bot.findFirstOrThrow({ where: { name: 'Travel' } })
    expect(travel.persona).toContain('travel agency')

    await page.getByTestId('test-chat-input').fill('Can you plan a weekend at West Lake?')
    await page.getByTestId('test-chat-send').click()
    await page.locator('[data-testid="test-chat-message"][data-role="user"]', { hasText: 'West Lake' }).waitFor()
    await page.locator('[data-testid="test-chat-message"][data-role="assistant"]', { hasText: '[simulated]' }).waitFor({ timeout: 30_000 })

    // A value the API refuses is named beside its field; a good one is saved.
    await page.getByTestId('bot-reply-max-chars').fill('50')
    await page.getByTestId('bot-save').click()
    await page.getByTestId('bot-reply-max-chars-error').waitFor()
    await page.getByTestId('bot-save-error').waitFor()
    // The refused field is focused, in view, and not under the sticky save bar.
    await waitFor(async () => (await page.evaluate('document.activeElement?.dataset.testid')) === 'bot-reply-max-chars', 5000, 'focus')
    const field = (await page.getByTestId('bot-reply-max-chars').boundingBox())!
    const saveBar = (await page.locator('.bot-form .form-footer').boundingBox())!
    expect(field.y + field.height).toBeLessThanOrEqual(saveBar.y)
    expect(field.y).toBeGreaterThanOrEqual(0)
    await screenshot(page, '03-bot-settings-and-test-chat')
    await page.getByTestId('bot-reply-max-chars').fill('1200')
    await page.getByTestId('bot-trigger-prefixes').fill('/trip\n/ai')
    await page.getByTestId('bot-business-hours').check()
    await page.getByTestId('bot-save').click()
    await page.locator('[data-testid="bot-save-state"]', { hasText: 'All changes saved' }).waitFor()
    const saved = await stack.database.db.bot.findUniqueOrThrow({ where: { id: travel.id } })
    const settings = saved.settings as {
      reply: { maxChars: number }
      trigger: { prefixes: string[] }
      handoff: { businessHours: { timezone: string } | null }
    }
    expect(settings.reply.maxChars).toBe(1200)
    expect(settings.trigger.prefixes).toEqual(['/trip', '/ai'])
    expect(settings.handoff.businessHours?.timezone).toBe('Asia/Shanghai')

    // Knowledge: paste a text, upload a file, see their chunks, and search them.
    await page.getByTestId('bot-tab-knowledge').click()
    await page.getByTestId('knowledge-text-title').fill('Refund policy')
    await page
      .getByTestId('knowledge-text')
      .fill('Tickets can be refunded in full up to 24 hours before departure.\n\nLater refunds keep a 20% fee.')
    await page.getByTestId('knowledge-text-submit').click()
    const refunds = page.locator('[data-testid="knowledge-document-row"]', { hasText: 'Refund policy' })
    await refunds.waitFor({ timeout: 15_000 })
    await page.getByTestId('knowledge-file').setInputFiles({
      name: 'hotels.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Hotels\n\n## Lakeview\n\nThe Lakeview hotel is a short walk from West Lake and has a breakfast buffet.\n'),
    })
    await page.getByTestId('knowledge-upload-submit').click()
    await page.locator('[data-testid="knowledge-document-row"]', { hasText: 'Hotels' }).waitFor({ timeout: 15_000 })
    expect(Number(await refunds.locator('td.numeric').textContent())).toBeGreaterThan(0)
    await page.getByTestId('knowledge-search-input').fill('Can I get my money back before departure?')
    await page.getByTestId('knowledge-search-submit').click()
    const hit = page.locator('[data-testid="knowledge-hit"]').first()
    await hit.waitFor({ timeout: 15_000 })
    expect(await hit.textContent()).toContain('Refund policy')
    // A passage's heading path is shown once, below its document's title (its first heading).
    await page.getByTestId('knowledge-search-input').fill('Lakeview hotel breakfast')
    await page.getByTestId('knowledge-search-submit').click()
    const hotelHit = page.locator('[data-testid="knowledge-hit"]', { hasText: 'Lakeview hotel' }).first()
    await hotelHit.waitFor({ timeout: 15_000 })
    const hotelHead = await hotelHit.locator('.hit-head').textContent()
    expect(hotelHead).toMatch(/[\d.]+Hotels · Lakeview · Passage$/)
    expect(hotelHead).not.toContain('Hotels >')
    await screenshot(page, '04-bot-knowledge')

    // Tools: connect an MCP server, see the tools it lists, allow one.
    const mcp = await startTestMcpServer()
    try {
      await page.getByTestId('bot-tab-tools').click()
      await page.getByTestId('mcp-name').fill('orders')
      await page.getByTestId('mcp-url').fill(mcp.url)
      await page.getByTestId('mcp-add').click()
      const getOrder = page.locator('[data-testid="mcp-tool"][data-tool="get_order"]')
      await getOrder.waitFor({ timeout: 15_000 })
      await getOrder.getByTestId('mcp-tool-allow').click()
      await getOrder.locator('[data-testid="mcp-tool-allow"]:checked').waitFor()
      const orders = await stack.database.db.mcpServer.findFirstOrThrow({ where: { botId: travel.id, name: 'orders' } })
      expect(orders.allowed).toEqual({ get_order: { confirm: false } })
      await screenshot(page, '04b-bot-tools')
    } finally {
      await mcp.close()
    }
    await page.getByTestId('bot-tab-wechat').click()
    // The stack's bot process runs the "Chorus" account, so Travel's is offline.
    await page.locator('[data-testid="wechat-status"][data-status="offline"]').waitFor()
    await screenshot(page, '05-bot-wechat')

    // Model endpoints: one more pointing at the simulator; "Test connection" before saving.
    await page.getByTestId('nav-models').click()
    await page.getByTestId('endpoint-add').click()
    await page.getByTestId('endpoint-name').fill('simulator-two')
    await page.getByTestId('endpoint-base-url').fill(`${stack.simulator.url}/v1`)
    await page.getByTestId('endpoint-model').fill('chorus-simulator')
    await page.getByTestId('endpoint-concurrency').fill('1')
    await page.getByTestId('endpoint-test').click()
    const result = page.locator('[data-testid="endpoint-test-result"][data-ok="true"]')
    await result.waitFor({ timeout: 15_000 })
    expect(await result.textContent()).toContain('chorus-simulator')
    await screenshot(page, '06-model-endpoint-form')
    await page.getByTestId('endpoint-save').click()
    const endpointRow = page.locator('[data-testid="endpoint-row"][data-endpoint-name="simulator-two"]')
    await endpointRow.waitFor()
    // Its replica starts within the workers' next reconcile, and the list follows it live.
    await endpointRow.locator('[data-testid="endpoint-replicas-live"][data-up="1"]').waitFor({ timeout: 15_000 })
    await screenshot(page, '07-model-endpoints')

    // The pool dashboard: load the simulator and watch the queue depth move, without a reload.
    await page.getByTestId('nav-pool').click()
    await page.locator('[data-testid="pool-live"]:not([data-samples="0"])').waitFor()
    await page.locator('[data-testid="replica-row"]').first().waitFor()
    const queueChart = '[data-testid="chart-queue-depth"]'
    const before = await page.locator(`${queueChart} polyline`).first().getAttribute('points')
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => simulator.say(undefined, { from: `Traveller ${i}`, text: `Hotel near the lake? ticket-${i}` })),
    )
    const seen: number[] = []
    let shot = false
    await waitFor(
      async () => {
        const latest = await numberAttribute(page, queueChart, 'data-latest')
        if (latest !== null && seen.at(-1) !== latest) seen.push(latest)
        if (!shot && latest !== null && latest > 0) {
          shot = true
          await screenshot(page, '08-pool-under-load')
        }
        // A queue was seen, and it drained again: the chart followed the pool both ways.
        return seen.some((value) => value > 0) && seen.at(-1) === 0
      },
      60_000,
      'the queue-depth chart to rise above zero and fall back',
    )
    expect(await numberAttribute(page, queueChart, 'data-peak')).toBeGreaterThan(0)
    expect(await page.locator(`${queueChart} polyline`).first().getAttribute('points')).not.toBe(before)
    await page.locator('[data-testid="chart-tokens-per-second"]:not([data-peak=""])').waitFor()
    expect(await numberAttribute(page, '[data-testid="chart-tokens-per-second"]', 'data-peak')).toBeGreaterThan(0)
    expect(await numberAttribute(page, '[data-testid="chart-wait-p95"]', 'data-peak')).toBeGreaterThan(0)
    await page.getByTestId('handoff-stats-bots').waitFor()
    await screenshot(page, '09-pool')

    // Conversations: find one by its text, read its history, export the matches.
    await page.getByTestId('nav-conversations').click()
    await page.getByTestId('search-q').fill('ticket-17')
    await page.getByTestId('search-submit').click()
    const row = page.locator('[data-testid="conversation-result"]', { hasText: 'Traveller 17' })
    await row.waitFor()
    // The first page lists every conversation; the search's answer replaces it.
    await waitFor(async () => (await page.locator('[data-testid="conversation-result"]').count()) === 1, 10_000, 'one search result')
    await row.click()
    await page.locator('[data-testid="conversation-preview"] [data-testid="message"][data-role="user"]', { hasText: 'ticket-17' }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toMatch(/^chorus-conversations-.*\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv).toContain('ticket-17')
    expect(csv).not.toContain('ticket-18')
    await screenshot(page, '10-conversations')

    // People: an agent made through the API shows up; a team is made in the panel.
    await adminApi.ok('POST', '/api/staff', { ...agent, role: 'agent' }, 201)
    await page.getByTestId('nav-people').click()
    await page.locator('[data-testid="staff-row"]', { hasText: agent.displayName }).waitFor()
    await page.getByTestId('team-add').click()
    await page.getByTestId('team-name').fill('Travel desk')
    await page.getByTestId('team-bots').getByLabel('Travel').check()
    await page.getByTestId('team-members').getByLabel(agent.displayName).check()
    await page.getByTestId('team-submit').click()
    await page.locator('[data-testid="team-row"]', { hasText: 'Travel desk' }).waitFor()
    await screenshot(page, '11-people')

    // API keys: the key is shown once, and /v1 takes it.
    await page.getByTestId('nav-api-keys').click()
    await page.getByTestId('key-name').fill('CRM integration')
    await page.getByTestId('key-create').click()
    const key = await page.getByTestId('api-key-value').inputValue()
    expect(key).toMatch(/^chorus_/)
    await screenshot(page, '12-api-key-created')
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })
    expect(models.status).toBe(200)
    await page.getByTestId('api-key-done').click()
    await page.locator('[data-testid="key-row"][data-revoked="false"]', { hasText: 'CRM integration' }).waitFor()
    await screenshot(page, '13-api-keys')

    // Audit log: everything above is there, and the action filter narrows it.
    await page.getByTestId('nav-audit').click()
    await page.locator('[data-testid="audit-row"][data-action="bot.create"]').waitFor()
    await page.getByTestId('audit-action').fill('api_key.')
    await page.getByTestId('audit-submit').click()
    await page.locator('[data-testid="audit-row"][data-action="bot.create"]').waitFor({ state: 'detached' })
    // The filtered page replaces the whole list once it has loaded.
    await page.locator('[data-testid="audit-row"][data-action^="api_key."]').waitFor()
    expect(await page.locator('[data-testid="audit-row"]').count()).toBe(1)
    await screenshot(page, '14-audit-log')

    // Chinese: the navigation changes language in place.
    expect(await page.getByTestId('nav-bots').textContent()).toBe('Bots')
    await page.getByTestId('language-switch').selectOption('zh')
    await page.locator('[data-testid="nav-bots"]', { hasText: '机器人' }).waitFor()
    expect(await page.getByTestId('nav-conversations').textContent()).toBe('会话')
    await page.getByTestId('nav-pool').click()
    await page.getByTestId('chart-queue-depth').waitFor()
    await screenshot(page, '15-pool-in-chinese')

    // A tablet's width.
    await page.setViewportSize({ width: 800, height: 1000 })
    await page.getByTestId('nav-bots').click()
    await page.locator('[data-testid="bot-row"]', { hasText: 'Travel' }).getByRole('link', { name: 'Travel' }).click()
    await page.getByTestId('bot-persona').waitFor()
    await screenshot(page, '16-bot-on-a-tablet')
    expect(await page.evaluate('window.panelNeverReloaded')).toBe(true)
    await context.close()

    // An agent: the console alone, no admin navigation, and no admin page even by its address.
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const agentPage = await agentContext.newPage()
    const scripts: string[] = []
    agentPage.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url())
    })
    await agentPage.addInitScript({ content: "localStorage.setItem('chorus.language', 'en')" })
    await agentPage.goto(`${url}/`)
    await agentPage.getByTestId('login-email').fill(agent.email)
    await agentPage.getByTestId('login-password').fill(agent.password)
    await agentPage.getByTestId('login-submit').click()
    await agentPage.getByTestId('inbox-tab-waiting').waitFor()
    await agentPage.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 10_000 })
    expect(await agentPage.getByTestId('main-nav').count()).toBe(0)
    expect(await agentPage.getByTestId('nav-bots').count()).toBe(0)
    await agentPage.goto(`${url}/#/admin/bots`)
    await agentPage.getByTestId('inbox-tab-waiting').waitFor()
    expect(await agentPage.getByTestId('page-bots').count()).toBe(0)
    expect(await agentPage.getByTestId('main-nav').count()).toBe(0)
    expect(scripts.filter((script) => script.includes('admin-pages'))).toEqual([])

    // Everyone can change their own password from the user menu.
    await agentPage.getByTestId('user-menu').click()
    await agentPage.getByTestId('change-password').click()
    await agentPage.getByTestId('password-current').fill(agent.password)
    await agentPage.getByTestId('password-new').fill(newAgentPassword)
    await agentPage.getByTestId('password-repeat').fill(newAgentPassword)
    await screenshot(agentPage, '17-agent-console-password')
    await agentPage.getByTestId('password-submit').click()
    await agentPage.getByTestId('password-changed').waitFor()
    await StaffClient.login(url, agent.email, newAgentPassword)
    await agentContext.close()
  }, 240_000)
})
