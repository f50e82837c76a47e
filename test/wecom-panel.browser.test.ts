import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { botSettings } from '@chorus/protocol'
import { panelStack } from './support/browser.js'
import { waitFor } from './support/wait-for.js'
import { kfNotificationXml, weComCallback, weComCorp, WeComStandIn, weComEnv } from './support/wecom-stand-in.js'

// The admin panel's WeCom page (docs/wecom.md): the channel's status, its accounts with their last
// pull and error, and linking an account to the bot that answers it.

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'wecom-panel')
const admin = { email: 'admin@chorus.test', password: 'admin-password-1' }
const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const keys = { token: 'kf-panel-token', aesKey, corpId: weComCorp.corpId }

const env: Record<string, string> = { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password }
let wecom: WeComStandIn
beforeAll(async () => {
  wecom = await WeComStandIn.start()
  Object.assign(env, weComEnv(wecom, keys))
  mkdirSync(artifacts, { recursive: true })
})
afterAll(async () => {
  await wecom?.close()
})

describe('the WeCom page of the admin panel', () => {
  const panel = panelStack({ env })

  it('shows the access token, each account’s last pull and error, and links an account to a bot', async () => {
    const { stack, browser } = panel()
    const db = stack.database.db
    // Two bots: an account without a link is answered by neither, and its error shows.
    const hotel = await db.bot.create({ data: { name: 'Hotel', settings: botSettings.parse({}) } })
    const token = wecom.customerWrites('wk-hotel', 'wm-guest', '几点退房？')
    const callback = weComCallback(kfNotificationXml(weComCorp.corpId, 'wk-hotel', token), keys, 'p-1')
    const refused = await fetch(`${stack.api.url}/wecom/kf/callback?${callback.query}`, { method: 'POST', body: callback.body })
    expect(refused.status).toBe(503)

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.addInitScript({ content: "localStorage.setItem('chorus.language', 'en')" })
    await page.goto(`${stack.api.url}/`)
    await page.getByTestId('login-email').fill(admin.email)
    await page.getByTestId('login-password').fill(admin.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('nav-wecom').click()
    await page.getByTestId('wecom-status').getByText('Access token: OK').waitFor()
    const row = page.getByTestId('wecom-account').filter({ hasText: 'wk-hotel' })
    await row.getByText('link one in the admin panel', { exact: false }).waitFor()
    await page.screenshot({ path: join(artifacts, '01-unlinked-account.png'), fullPage: true })

    await row.getByTestId('wecom-bot').selectOption({ label: 'Hotel' })
    await page.getByText('wk-hotel is answered by Hotel.').waitFor()
    expect((await db.wecomKfAccount.findUniqueOrThrow({ where: { openKfId: 'wk-hotel' } })).botId).toBe(hotel.id)

    // WeCom notifies again: now the linked bot answers, and the account's error clears.
    const again = weComCallback(kfNotificationXml(weComCorp.corpId, 'wk-hotel', token), keys, 'p-2')
    expect(await (await fetch(`${stack.api.url}/wecom/kf/callback?${again.query}`, { method: 'POST', body: again.body })).text()).toBe(
      'success',
    )
    await waitFor(async () => wecom.sentTo('wm-guest').length === 1, 10_000, 'the answer')
    await page.reload()
    await page.getByTestId('wecom-account').filter({ hasText: 'wk-hotel' }).getByText('–').waitFor()
    await page.screenshot({ path: join(artifacts, '02-linked-account.png'), fullPage: true })
    await context.close()
  })
})
