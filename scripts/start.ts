// `npm start`: the whole product on one machine with embedded defaults. Checks the
// configuration, downloads CHORUS_MODEL's file on the first start, brings up PostgreSQL (an
// embedded one if none answers and neither DATABASE_URL nor DIRECT_DATABASE_URL is set) and Redis,
// applies migrations, builds the web panel if needed, then runs the API, the pool worker and the
// bot as child processes until Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { chorusEnv, ConfigError, parseEnv, type ChorusEnv } from '@chorus/config'
import { createDb, ensureDatabase, migrate, postgresAnswers, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@chorus/db'
import { seedDemoKnowledge } from '@chorus/knowledge'
import { ensureModelFile, modelLabel, ModelDownloadError, progressBar, progressLines } from '@chorus/llm'

const root = fileURLToPath(new URL('..', import.meta.url))
const say = (line: string) => process.stdout.write(`[chorus] ${line}\n`)
const configErrorExit = 78

// A local .env (see .env.example) fills in what the environment does not set.
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'))

function readConfig(): ChorusEnv {
  try {
    return parseEnv(chorusEnv)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`chorus: ${error.message}\n`)
    process.exit(configErrorExit)
  }
}
const config = readConfig()

const env: NodeJS.ProcessEnv = { ...process.env }
let embedded: EmbeddedPostgresHandle | undefined
let redisServer: ChildProcess | undefined

async function preparePostgres(): Promise<void> {
  // The server itself, which a pooler in DATABASE_URL's place may not show (its `postgres` database).
  const [variable, server] = config.DIRECT_DATABASE_URL
    ? ['DIRECT_DATABASE_URL', config.DIRECT_DATABASE_URL]
    : ['DATABASE_URL', config.DATABASE_URL]
  if (await postgresAnswers(server)) return
  // A URL the operator set names their own server: no embedded one in its place.
  if (process.env.DATABASE_URL || config.DIRECT_DATABASE_URL) {
    throw new Error(`${variable}: no PostgreSQL answers at ${new URL(server).host}`)
  }
  say('no PostgreSQL on 127.0.0.1:5432: starting an embedded one (data in .chorus/postgres)')
  const url = new URL(config.DATABASE_URL)
  embedded = await startEmbeddedPostgres({
    dir: join(root, '.chorus', 'postgres'),
    port: Number(url.port || 5432),
    database: url.pathname.slice(1) || 'chorus',
  })
  env.DATABASE_URL = embedded.databaseUrl
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 })
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

async function prepareRedis(): Promise<void> {
  // A Redis Cluster is the operator's own: the apps connect to it and say so if they cannot.
  if (config.REDIS_CLUSTER_NODES) return
  if (await redisAnswers(config.REDIS_URL)) return
  const hasServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0
  if (process.env.REDIS_URL || !hasServer) {
    throw new Error(
      `REDIS_URL: no Redis answers at ${new URL(config.REDIS_URL).host}${hasServer ? '' : ' (and redis-server is not installed)'}`,
    )
  }
  say('no Redis on 127.0.0.1:6379: starting redis-server (nothing kept on disk)')
  redisServer = spawn(
    'redis-server',
    ['--port', new URL(config.REDIS_URL).port || '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  for (let i = 0; i < 50 && !(await redisAnswers(config.REDIS_URL)); i++) await new Promise((r) => setTimeout(r, 100))
}

function buildWebIfNeeded(): void {
  if (existsSync(join(root, 'apps/web/dist/index.html'))) return
  say('building the web panel')
  const result = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: join(root, 'apps/web'),
    stdio: 'inherit',
  })
  if (result.status !== 0) throw new Error('building the web panel failed')
}

/**
 * Downloads CHORUS_MODEL here, before the worker starts, so the progress bar has this terminal (the
 * worker's output is piped) and the worker finds the file in place. Returns what to print as the
 * model; when the file cannot be had, the worker is started without CHORUS_MODEL rather than made
 * to fail the same way again.
 */
async function prepareModel(): Promise<string | undefined> {
  const source = config.CHORUS_MODEL
  if (!source || config.CHORUS_MODEL_URL || config.CHORUS_GGUF_PATH) return undefined
  const modelsDir = resolve(root, config.CHORUS_MODELS_DIR)
  env.CHORUS_MODELS_DIR = modelsDir
  try {
    const file = await ensureModelFile(source, {
      hubUrl: config.CHORUS_MODEL_HUB_URL,
      modelsDir,
      progress: (label) => (process.stdout.isTTY ? progressBar(process.stdout, `[chorus] ${label}`) : progressLines(say, label)),
      onNotice: say,
    })
    return `${modelLabel(source)} (${file.path}, node-llama-cpp)`
  } catch (error) {
    if (!(error instanceof ModelDownloadError)) throw error
    say(`CHORUS_MODEL ${modelLabel(source)}: ${error.message}; the bot answers from its knowledge base alone (restart to try again)`)
    delete env.CHORUS_MODEL
    return `none: ${modelLabel(source)} could not be downloaded (see above)`
  }
}

const apps = ['api', 'worker', 'bot'] as const
const children = new Map<string, ChildProcess>()
let stopping = false

function run(app: (typeof apps)[number], restarts = 0): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, `apps/${app}/src/main.ts`)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.set(app, child)
  const prefix = `[${app}] `.padEnd(9)
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`)
    })
  }
  child.on('exit', (code, signal) => {
    children.delete(app)
    if (stopping) return
    if (code === configErrorExit) {
      say(`${app} refused its configuration; stopping`)
      void stop(1)
      return
    }
    const delay = Math.min(30_000, 500 * 2 ** restarts)
    say(`${app} exited (${signal ?? code}); restarting in ${delay} ms`)
    setTimeout(() => run(app, restarts + 1), delay)
  })
}

async function stop(code = 0): Promise<void> {
  if (stopping) return
  stopping = true
  say('stopping')
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          child.kill('SIGTERM')
        }),
    ),
  )
  redisServer?.kill('SIGTERM')
  await embedded?.stop()
  process.exit(code)
}

async function waitForApi(port: number): Promise<boolean> {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.status === 200) return true
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}

let downloadedModel: string | undefined
try {
  // First, while nothing else runs: Ctrl-C during a long download leaves no server behind.
  downloadedModel = await prepareModel()
  await preparePostgres()
  await prepareRedis()
  const databaseUrl = env.DATABASE_URL ?? config.DATABASE_URL
  // Creating the database and migrating go around a pooler (PgBouncer) when there is a direct URL.
  const directUrl = config.DIRECT_DATABASE_URL ?? databaseUrl
  if (await ensureDatabase(directUrl)) say('created the database')
  const migrated = await migrate(directUrl)
  if (migrated.applied.length) say(`applied ${migrated.applied.length} migration(s)`)
  const db = createDb(databaseUrl, { preparedStatements: config.CHORUS_DB_PREPARED_STATEMENTS })
  if (await seedDemoKnowledge(db, config.CHORUS_BOT_NAME))
    say(`gave ${config.CHORUS_BOT_NAME} the demo travel-agency FAQ (replace it in the panel)`)
  await db.$disconnect()
  buildWebIfNeeded()
} catch (error) {
  process.stderr.write(`chorus: ${(error as Error).message}\n`)
  redisServer?.kill('SIGTERM')
  await embedded?.stop()
  process.exit(1)
}

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
for (const app of apps) run(app)

const base = `http://127.0.0.1:${config.PORT}`
if (await waitForApi(config.PORT)) {
  const engine =
    config.CHORUS_MODEL_URL ??
    config.CHORUS_GGUF_PATH ??
    downloadedModel ??
    'none: answers come from the knowledge base alone (set CHORUS_MODEL, e.g. qwen2.5-1.5b-instruct, for a model)'
  say('ready')
  say(`  web panel        ${base}/`)
  say(
    `  WeChat simulator ${base}/api/simulator/messages  (${config.WECHATY_PUPPET === 'wechaty-puppet-mock' ? 'on' : 'off: a real account'})`,
  )
  say(`  OpenAI-compatible ${base}/v1  (keys: CHORUS_API_KEYS)`)
  say(`  health, metrics  ${base}/healthz  ${base}/metrics`)
  say(`  model            ${engine}`)
  say(
    `try: curl -s -XPOST ${base}/api/simulator/messages -H 'content-type: application/json' -d '{"room":"Demo","from":"alice","text":"@${config.CHORUS_BOT_NAME} 西湖游船几点开？"}'`,
  )
  say(`     curl -s '${base}/api/simulator/messages?room=Demo'`)
  say('Ctrl-C stops everything')
} else if (!stopping) {
  say(`the API did not become healthy at ${base}/healthz; see the logs above`)
}
