import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs an entry point with `env` and returns how it ended; it must end by itself. */
function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${entry} did not stop on a bad configuration`))
    }, 20_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

describe('start-up refuses a bad configuration and names the variable', () => {
  it.each([
    ['scripts/start.ts', { PORT: 'eighty' }, 'PORT'],
    [
      'scripts/start.ts',
      { CHORUS_MODLE_URL: 'http://127.0.0.1:8000/v1' },
      'CHORUS_MODLE_URL: unknown variable (did you mean CHORUS_MODEL_URL?)',
    ],
    ['apps/api/src/main.ts', { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    ['packages/db/src/cli/migrate.ts', { DIRECT_DATABASE_URL: 'mysql://localhost/x' }, 'DIRECT_DATABASE_URL'],
    ['apps/worker/src/main.ts', { CHORUS_WORKER_CONCURRENCY: '0' }, 'CHORUS_WORKER_CONCURRENCY'],
    ['apps/bot/src/main.ts', { REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
  ])('%s with %j', async (entry, env, named) => {
    const { code, stderr } = await run(entry, env)
    expect(code).toBe(78)
    expect(stderr).toContain(named)
  })
})
