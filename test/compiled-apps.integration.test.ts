import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { SimulatorClient } from './support/simulator-client.js'
import { createTestRedisPrefix } from './support/test-redis.js'
import { databaseUrl, testServerUrl, uniqueName } from './support/test-env.js'
import { waitFor } from './support/wait-for.js'

// The bundles the Docker image runs (npm run build:apps), started with plain node: no tsx, no
// TypeScript sources read at run time.
const root = fileURLToPath(new URL('..', import.meta.url))

/** One compiled app in a process of its own, its output kept for a failing test's message. */
class CompiledApp {
  readonly output: string[] = []
  private readonly child: ChildProcess

  constructor(
    readonly bundle: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [bundle], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.output.push(line))
    }
  }

  /** The first JSON log line whose message is `msg`, once there is one. */
  logged(msg: string): Record<string, unknown> | undefined {
    for (const line of this.output) {
      if (!line.startsWith('{')) continue
      const parsed = JSON.parse(line) as Record<string, unknown>
      if (parsed.msg === msg) return parsed
    }
    return undefined
  }

  /** Stops it as an orchestrator does (SIGTERM), killing it if it takes more than 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    this.child.kill('SIGTERM')
    await exited
    clearTimeout(timer)
  }
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServerUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

describe('the compiled apps', () => {
  const database = uniqueName('chorus_compiled')
  const apps: CompiledApp[] = []
  let redisCleanup: (() => Promise<void>) | undefined
  let migrateOutput = ''
  let apiUrl = ''

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build-apps.mjs'], { cwd: root, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`npm run build:apps failed:\n${build.stdout}${build.stderr}`)

    await onServer(`CREATE DATABASE "${database}"`)
    const env = { DATABASE_URL: databaseUrl(database), LOG_LEVEL: 'info' }
    const migrate = spawnSync(process.execPath, ['packages/db/dist/migrate.js'], { cwd: root, env: { PATH: process.env.PATH, ...env } })
    migrateOutput = `${migrate.stdout.toString()}${migrate.stderr.toString()}`
    if (migrate.status !== 0) throw new Error(`the compiled migration runner failed:\n${migrateOutput}`)

    const redis = await createTestRedisPrefix()
    redisCleanup = redis.cleanup
    Object.assign(env, { REDIS_URL: redis.url, CHORUS_REDIS_PREFIX: redis.prefix, PORT: '0' })
    const api = new CompiledApp('apps/api/dist/main.js', env)
    const bot = new CompiledApp('apps/bot/dist/main.js', env)
    apps.push(api, new CompiledApp('apps/worker/dist/main.js', env), bot)
    const ready = async (app: CompiledApp, msg: string) =>
      waitFor(async () => app.logged(msg), 20_000, `${app.bundle} to log "${msg}"`).catch((error: Error) => {
        throw new Error(`${error.message}\n${apps.flatMap((a) => a.output.map((line) => `${a.bundle}: ${line}`)).join('\n')}`)
      })
    apiUrl = `http://127.0.0.1:${String((await ready(api, 'API listening')).port)}`
    await ready(bot, 'bot started')
  }, 60_000)

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()))
    await redisCleanup?.()
    await onServer(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  })

  it('migrates an empty database from the bundled runner, which finds prisma/migrations', () => {
    expect(migrateOutput).toMatch(/[1-9]\d* applied, 0 already up to date/)
  })

  it('answers a WeChat group message through the API, a worker and the bot, all run with plain node', async () => {
    const health = await waitFor(
      async () => {
        const body = (await (await fetch(`${apiUrl}/healthz`)).json()) as { status: string; workers: number }
        return body.status === 'ok' && body.workers > 0 ? body : undefined
      },
      20_000,
      'the API to report a live worker',
    )
    expect(health).toMatchObject({ db: 'ok', redis: 'ok' })

    const simulator = new SimulatorClient(apiUrl)
    const room = uniqueName('room')
    await simulator.say(room, { from: 'alice', text: '@Chorus 西湖游船几点开？' })
    const [reply] = await simulator.waitForBotLines({ room }, 1, 20_000)
    expect(reply?.text).toContain('@alice')
  })
})
