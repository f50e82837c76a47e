import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.js'
import { StaffClient } from './support/staff-client.js'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'
import { WeChatStandIn } from './support/wechat-stand-in.js'

// The mini-program's H5 build (apps/miniprogram, a Taro app outside the workspaces) in Chromium,
// against the real API: served with /mp/v1 proxied to the stack, so the page calls its own origin
// (built with CHORUS_MP_API_BASE ''), and logged in with a code of the stand-in of WeChat.

const root = fileURLToPath(new URL('..', import.meta.url))
const app = join(root, 'apps', 'miniprogram')
const dist = join(app, 'dist', 'h5')
const artifacts = join(root, 'test-artifacts')
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

/** Installs the app's own dependencies (once per machine) and builds its H5 version. */
function buildH5(): void {
  if (!existsSync(join(app, 'node_modules', '.bin', 'taro'))) {
    console.log('apps/miniprogram has no node_modules: running npm ci there (about a minute)')
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' })
  }
  execFileSync(process.execPath, [join(app, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', 'h5'], {
    cwd: app,
    // Jest sets NODE_ENV=test; the page is tested as it ships.
    env: { ...process.env, NODE_ENV: 'production', CHORUS_MP_API_BASE: '' },
    stdio: 'pipe',
  })
}

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' }

/** Serves the H5 build and passes /mp/v1/* through to the API, streams included. */
async function serveSite(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const api = new URL(apiUrl)
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    if (path.startsWith('/mp/v1/')) {
      const upstream = request({ host: api.hostname, port: api.port, method: req.method, path, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      upstream.on('error', () => res.headersSent || res.writeHead(502).end())
      // The page closing its live stream ends the request to the API as well.
      res.on('close', () => upstream.destroy())
      req.pipe(upstream)
      return
    }
    let file = normalize(join(dist, decodeURIComponent(path.split('?')[0]!)))
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html')
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The text of the page's last bot bubble ('' while there is none). */
const lastBotText = async (page: Page) => (await page.locator('.bubble--assistant .bubble__text').allTextContents()).at(-1) ?? ''

/** What the sampler below uses inside the page (the tests' tsconfig has no DOM types). */
interface InPage {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }
  requestAnimationFrame(callback: () => void): void
  replyLengths: number[]
}

describe('the mini-program chat page (H5 build) in Chromium', () => {
  let wechat: WeChatStandIn
  let stack: TestStack
  let site: Awaited<ReturnType<typeof serveSite>>
  let browser: Browser
  const pageErrors: string[] = []

  beforeAll(async () => {
    buildH5()
    mkdirSync(artifacts, { recursive: true })
    wechat = await WeChatStandIn.start()
    stack = await startTestStack({
      env: { ...admin, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_API_BASE: wechat.url },
      // Slow enough that the reply visibly grows: 16 tokens, 25 ms apart.
      simulator: { ttftMs: 20, itlMs: 25, replyTokens: 16 },
    })
    site = await serveSite(stack.api.url)
    browser = await launchChromium()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await stack?.stop()
    await wechat?.close()
  })

  async function openPage(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 390, height: 760 } })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${site.url}${path}`)
    return page
  }

  it('says clearly that a login code is needed when the URL has none', async () => {
    const page = await openPage('/#/pages/index/index')
    await page.getByText('缺少登录码').waitFor({ timeout: 15_000 })
    await page.close()
  })

  it('streams the bot’s reply as it is written, then hands over to an agent whose reply arrives live', async () => {
    const page = await openPage('/?code=ok:o-h5#/pages/index/index')
    const input = page.locator('.composer__input input')
    await input.waitFor({ timeout: 15_000 })
    await page.getByText('正在连接…').waitFor({ state: 'detached', timeout: 15_000 })

    // Every length the bot's bubble takes, sampled each frame inside the page.
    await page.evaluate(() => {
      const inPage = globalThis as unknown as InPage
      const lengths: number[] = (inPage.replyLengths = [])
      const sample = () => {
        const all = inPage.document.querySelectorAll('.bubble--assistant .bubble__text')
        const length = all[all.length - 1]?.textContent?.length
        if (length !== undefined && length !== lengths.at(-1)) lengths.push(length)
        inPage.requestAnimationFrame(sample)
      }
      sample()
    })
    // Send is off while the field is empty and while an answer is coming.
    const sendButton = page.locator('.composer__send')
    expect(await sendButton.getAttribute('disabled')).not.toBeNull()
    await input.fill('你好，杭州有什么好玩的？')
    await page.locator('.composer__send:not([disabled])').click()
    await page.locator('.composer__send[disabled]').waitFor({ timeout: 2_000 })

    const reply = await waitFor(
      async () =>
        (await stack.database.db.message.findFirst({
          where: { role: 'assistant', replyTo: { authorUser: { platformId: 'o-h5' } } },
        })) ?? undefined,
      15_000,
      'the stored reply',
    )
    await waitFor(async () => (await lastBotText(page)) === reply.text, 10_000, 'the page to show the stored reply')
    const lengths = await page.evaluate(() => (globalThis as unknown as InPage).replyLengths)
    const partial = lengths.filter((n) => n > 0 && n < reply.text.length)
    expect(partial.length).toBeGreaterThanOrEqual(2)
    expect(lengths.at(-1)).toBe(reply.text.length)
    // The reply also reaches the live stream (the outbox): it is still shown once.
    await page.waitForTimeout(500)
    expect(await page.locator('.bubble--assistant').count()).toBe(1)
    expect(await page.locator('.bubble--user .bubble__text').allTextContents()).toEqual(['你好，杭州有什么好玩的？'])
    await page.screenshot({ path: join(artifacts, 'miniprogram-reply.png') })

    // An agent is online, so the handoff assigns the conversation to her.
    const rootStaff = await StaffClient.login(stack.api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await rootStaff.ok(
      'POST',
      '/api/staff',
      { email: 'mia@example.com', displayName: 'Mia', password: 'agent-password-1', role: 'agent' },
      201,
    )
    const mia = await StaffClient.login(stack.api.url, 'mia@example.com', 'agent-password-1')
    await mia.goOnline()

    await page.locator('.composer__handoff:not([disabled])').click()
    await page.getByText('已为你转接人工客服').waitFor({ timeout: 15_000 })
    const conversation = await waitFor(
      async () =>
        (await stack.database.db.conversation.findFirst({ where: { endUser: { platformId: 'o-h5' }, state: 'agent' } })) ?? undefined,
      10_000,
      'the conversation assigned to Mia',
    )

    await mia.ok('POST', `/api/conversations/${conversation.id}/typing`, undefined, 204)
    await page.getByText('客服正在输入…').waitFor({ timeout: 10_000 })
    const answer = '您好，我是客服 Mia，请问有什么可以帮您？'
    await mia.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: answer }, 201)
    const agentRow = page.locator('.row--theirs', { has: page.locator('.bubble--agent', { hasText: answer }) })
    await agentRow.waitFor({ timeout: 10_000 })
    expect(await agentRow.locator('.row__name').textContent()).toBe('Mia')
    await page.getByText('客服正在输入…').waitFor({ state: 'detached', timeout: 5_000 })
    await page.screenshot({ path: join(artifacts, 'miniprogram-handoff.png') })
    mia.goOffline()

    expect(pageErrors).toEqual([])
    await page.close()
  })
})
