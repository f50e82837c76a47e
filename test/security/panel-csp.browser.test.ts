import { panelStack } from '../support/browser.js'

// The built web panel under the API's Content-Security-Policy, in Chromium: it signs in, opens
// the live console and an admin page, and the browser reports no violation of the policy.

const admin = { email: 'admin@example.com', password: 'admin-password-1' }

describe('the web panel under its Content-Security-Policy', () => {
  const panel = panelStack({ env: { CHORUS_ADMIN_EMAIL: admin.email, CHORUS_ADMIN_PASSWORD: admin.password } })

  it('runs, styles itself, streams and loads its admin pages without a single violation', async () => {
    const { stack, browser } = panel()
    const page = await browser.newPage()
    const refused: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text())
    })
    // Strings, not functions: the test is type-checked without the DOM's types.
    await page.addInitScript({
      content:
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))",
    })
    const answer = await page.goto(`${stack.api.url}/`)
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'")
    await page.getByTestId('login-email').fill(admin.email)
    await page.getByTestId('login-password').fill(admin.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('inbox-tab-waiting').waitFor()
    await page.getByTestId('nav-bots').click()
    await page.waitForLoadState('networkidle')
    // The stylesheet applied: the page is not unstyled.
    expect(await page.evaluate('document.styleSheets.length')).toBeGreaterThan(0)
    expect(await page.evaluate('window.cspViolations')).toEqual([])
    expect(refused).toEqual([])
  }, 60_000)
})
