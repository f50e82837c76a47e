import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { panelStack } from './support/browser.js'
import { waitFor } from './support/wait-for.js'
import { pushXml, securePush } from './support/wechat-push.js'
import { useWeChatStandIn } from './support/wechat-world.js'

// A customer-service reply WeChat refused for good, as an agent sees it in the console (Chromium).

const root = fileURLToPath(new URL('..', import.meta.url))
const artifacts = join(root, 'test-artifacts', 'undeliverable-reply')
const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const env: Record<string, string> = { ...admin }
useWeChatStandIn(env, { WECHAT_PUSH_TOKEN: 'push-token', WECHAT_PUSH_AES_KEY: aesKey })

describe('an undeliverable reply in the console', () => {
  const run = panelStack({ env })

  it('shows under the message, in Chinese, why WeChat did not take it', async () => {
    const { stack, browser } = run()
    // The user last wrote more than 48 hours ago as far as WeChat is concerned: 45015.
    const push = securePush(pushXml('o-expired-console', '7000000000000000001', '还在吗？'), {
      token: 'push-token',
      aesKey,
      appId: 'wx-test-app',
      nonce: 'n-console',
      format: 'xml',
    })
    const pushed = await fetch(`${stack.api.url}/mp/v1/wechat/push?${push.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: push.body,
    })
    expect(await pushed.text()).toBe('success')
    const reply = await waitFor(
      async () =>
        (await stack.database.db.message.findFirst({
          where: { channel: { externalId: 'kf:o-expired-console' }, status: 'undeliverable' },
        })) ?? undefined,
      10_000,
      'the reply marked undeliverable',
    )

    const page = await browser.newPage({ locale: 'zh-CN' })
    await page.addInitScript({ content: "localStorage.setItem('chorus.language', 'zh')" })
    try {
      await page.goto(`${stack.api.url}/#/all/${reply.conversationId}`)
      await page.getByTestId('login-email').fill(admin.CHORUS_ADMIN_EMAIL)
      await page.getByTestId('login-password').fill(admin.CHORUS_ADMIN_PASSWORD)
      await page.getByTestId('login-submit').click()
      const message = page.locator(`[data-testid="message"][data-message-id="${reply.id}"]`)
      const notice = message.getByTestId('undeliverable')
      await notice.waitFor({ timeout: 15_000 })
      expect(await notice.textContent()).toContain('未能送达')
      expect(await notice.textContent()).toContain('48 小时')
      mkdirSync(artifacts, { recursive: true })
      await page.screenshot({ path: join(artifacts, 'console.png'), fullPage: true })
    } finally {
      await page.close()
    }
  })
})
