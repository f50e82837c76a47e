import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { startTestStack, type TestStack } from './test-stack.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Builds the web panel (apps/web) as it ships into a new temporary folder, and returns the folder. */
export function buildWebPanel(): string {
  const out = mkdtempSync(join(tmpdir(), 'chorus-web-'))
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: join(root, 'apps', 'web'),
      // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'pipe',
    },
  )
  return out
}

/** Debian's Chromium, headless, quiet: no background traffic, nothing downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface PanelRun {
  stack: TestStack
  browser: Browser
}

/**
 * For the enclosing `describe`: the web panel built as it ships, served by a test stack started
 * with `options`, and Chromium; all started before its first test and stopped after its last.
 * Returns a getter, since they exist only once `beforeAll` has run.
 */
export function panelStack(options: Omit<NonNullable<Parameters<typeof startTestStack>[0]>, 'webDist'> = {}): () => PanelRun {
  let webDist: string | undefined
  const run: Partial<PanelRun> = {}
  beforeAll(async () => {
    webDist = buildWebPanel()
    run.stack = await startTestStack({ ...options, webDist })
    run.browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    await run.browser?.close()
    await run.stack?.stop()
    if (webDist) rmSync(webDist, { recursive: true, force: true })
  })
  return () => {
    if (!run.stack || !run.browser) throw new Error('the panel stack has not started')
    return run as PanelRun
  }
}
