import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MiniProgramClient } from '../support/miniprogram-client.js'
import { sharedStack } from '../support/shared-stack.js'
import { StaffClient } from '../support/staff-client.js'
import { appRoutes } from './support/app-routes.js'
import { send, type Answer, type Sent } from './support/http.js'
import { buildWebPanel } from '../support/browser.js'
import { useWeChatStandIn } from '../support/wechat-world.js'

// Protective headers on every answer, CORS closed unless an origin is allowed, sane token
// lifetimes, and secrets kept out of the source (docs/security.md).

const root = fileURLToPath(new URL('../..', import.meta.url))
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const apiKey = 'headers-test-key-0123456789'
const foreign = 'https://evil.example'

const env: Record<string, string> = { ...admin, CHORUS_API_KEYS: apiKey }
useWeChatStandIn(env)
// A built web panel of one page and one script, so static answers are checked too.
const webDist = mkdtempSync(join(tmpdir(), 'chorus-headers-web-'))
mkdirSync(join(webDist, 'assets'))
writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Chorus</title><script type="module" src="/assets/app.js"></script>')
writeFileSync(join(webDist, 'assets', 'app.js'), 'export {}\n')

afterAll(() => rmSync(webDist, { recursive: true, force: true }))

const protective = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

function expectProtected(answer: Answer, what: string): void {
  const headers = Object.fromEntries(Object.keys(protective).map((name) => [name, answer.headers.get(name)]))
  expect([what, headers]).toEqual([what, protective])
  const csp = answer.headers.get('content-security-policy') ?? ''
  expect([what, csp]).toEqual([what, expect.stringContaining("default-src 'self'")])
  expect(answer.headers.get('x-powered-by')).toBeNull()
}

function expectNoCors(answer: Answer): void {
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-allow-headers',
    'access-control-allow-credentials',
  ]) {
    expect([name, answer.headers.get(name)]).toEqual([name, null])
  }
}

const preflight = (path: string, origin: string): Sent => ({
  method: 'OPTIONS',
  path,
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
})

describe('headers and defaults', () => {
  const stack = sharedStack({ env, webDist })
  const url = () => stack().api.url
  let staff: StaffClient

  beforeAll(async () => {
    staff = await StaffClient.login(url(), admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
  })

  it('sets the protective headers on every route’s answer, errors, static files and event streams included', async () => {
    const requests: Sent[] = appRoutes(stack().api).map((route) => {
      const [method, path] = route.split(' ') as [string, string]
      return { method, path: path.startsWith('/^') ? '/inbox' : path.replaceAll(/:\w+/g, 'x') }
    })
    requests.push(
      { method: 'GET', path: '/assets/app.js' },
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/api/no-such-route' },
      { method: 'GET', path: '/v1/models', token: apiKey },
      { method: 'GET', path: '/v1/no-such-route', token: apiKey },
      { method: 'GET', path: '/api/events', token: staff.token },
      { method: 'POST', path: '/api/teams', token: staff.token, body: { name: 'x'.repeat(300_000) } },
      preflight('/api/conversations', foreign),
    )
    expect(requests.length).toBeGreaterThan(70)
    for (const request of requests) expectProtected(await send(url(), request), `${request.method} ${request.path}`)
  })

  it('allows the panel its own scripts, styles and connections only: no inline script, no plugins, no framing', async () => {
    const csp = (await send(url(), { method: 'GET', path: '/' })).headers.get('content-security-policy')!
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    )
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
    })
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
  })

  it('builds a web panel that needs nothing the policy forbids: no inline script or style, assets from its own origin', () => {
    const out = buildWebPanel()
    try {
      const html = readFileSync(join(out, 'index.html'), 'utf8')
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      expect(scripts.length).toBeGreaterThan(0)
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\/assets\//)
        expect(body!.trim()).toBe('')
      }
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i)
      for (const [, href] of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) expect(href).toMatch(/^\/(?!\/)/)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 120_000)

  it('gives a foreign origin no CORS headers, on simple requests and preflights alike', async () => {
    for (const path of ['/api/me', '/api/auth/login', '/api/conversations', '/mp/v1/messages', '/v1/chat/completions', '/healthz']) {
      expectNoCors(await send(url(), { method: 'GET', path, headers: { origin: foreign }, token: staff.token }))
      expectNoCors(await send(url(), preflight(path, foreign)))
    }
  })

  it('issues staff sessions for 12 hours and mini-program sessions for 7 days, and refuses them once expired', async () => {
    const before = Date.now()
    const login = await send(url(), {
      method: 'POST',
      path: '/api/auth/login',
      body: { email: admin.CHORUS_ADMIN_EMAIL, password: admin.CHORUS_ADMIN_PASSWORD },
    })
    const { token, expiresAt } = JSON.parse(login.text) as { token: string; expiresAt: string }
    const twelveHours = 12 * 3600_000
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(twelveHours - 1000)
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(twelveHours)
    const { db } = stack().database
    const session = await db.staffSession.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })
    expect(session.expiresAt.toISOString()).toBe(expiresAt)

    const user = await MiniProgramClient.login(url(), 'ok:o-lifetime')
    const mpSession = await db.mpSession.findFirstOrThrow({ where: { endUser: { platformId: 'o-lifetime' } } })
    const sevenDays = 7 * 24 * 3600_000
    expect(mpSession.expiresAt.getTime() - before).toBeGreaterThanOrEqual(sevenDays - 1000)
    expect(mpSession.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(sevenDays)

    await db.staffSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await send(url(), { method: 'GET', path: '/api/me', token })).status).toBe(401)
    await db.mpSession.update({ where: { id: mpSession.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await user.call('GET', '/mp/v1/messages')).status).toBe(401)
  })

  it('keeps secrets out of the tracked source: they come from the environment', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => /\.(ts|tsx|js|mjs|cjs|json|ya?ml|md|sh|env\.example)$|(^|\/)(Dockerfile|\.env\.example)$/.test(file))
      .filter((file) => !/(^|\/)test\/|\.test\.tsx?$|(^|\/)fixtures\/|package-lock\.json$/.test(file))
    expect(files.length).toBeGreaterThan(100)
    const secret = [
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /\bsk-[A-Za-z0-9_-]{32,}/, // OpenAI-style API keys
      /\bAKIA[0-9A-Z]{16}\b/, // AWS access keys
      /\bgh[pousr]_[A-Za-z0-9]{36}\b/, // GitHub tokens
      /\bchorus_[A-Za-z0-9_-]{43}\b/, // a /v1 key made in the panel
      /(SECRET|PASSWORD|API_KEY|TOKEN|AES_KEY)["']?\s*[:=]\s*["'][^"'\s$]{12,}["']/, // a literal assigned to a secret's name
    ]
    const found = files.flatMap((file) => {
      const text = readFileSync(join(root, file), 'utf8')
      return secret.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`)
    })
    expect(found).toEqual([])
  })
})

describe('CORS with CHORUS_CORS_ORIGINS', () => {
  const allowed = 'https://chat.example.com'
  const stack = sharedStack({ env: { ...admin, CHORUS_CORS_ORIGINS: `${allowed},http://localhost:5173` } })
  const url = () => stack().api.url

  it('answers an allowed origin’s preflight and requests, without credentials, and nobody else’s', async () => {
    const answer = await send(url(), preflight('/mp/v1/messages', allowed))
    expect(answer.status).toBe(204)
    expect(answer.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST')
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization')
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull()
    expect(answer.headers.get('vary')).toMatch(/origin/i)

    const simple = await send(url(), { method: 'GET', path: '/healthz', headers: { origin: allowed } })
    expect(simple.headers.get('access-control-allow-origin')).toBe(allowed)
    expectProtected(simple, 'GET /healthz from an allowed origin')

    expectNoCors(await send(url(), preflight('/mp/v1/messages', foreign)))
    expectNoCors(await send(url(), { method: 'GET', path: '/healthz', headers: { origin: foreign } }))
    expectNoCors(await send(url(), { method: 'GET', path: '/healthz', headers: { origin: `${allowed}.evil.example` } }))
  })
})
