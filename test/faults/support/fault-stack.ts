import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createDb, type Db } from '@chorus/db'
import type { SimulatorParams } from '@chorus/inference-simulator'
import { botSettings, type BotSettingsInput } from '@chorus/protocol'
import { NginxProxy } from '../../support/nginx-proxy.js'
import { PgBouncer } from '../../support/pgbouncer.js'
import { WeChatStandIn } from '../../support/wechat-stand-in.js'
import { waitFor } from '../../support/wait-for.js'
import { AppProcess } from './app-process.js'
import { FaultyModel } from './faulty-model.js'
import { freePort, PrivatePostgres, PrivateRedis } from './private-services.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export const botName = 'Chorus'
export const apiKey = 'fault-key'
export const redisPrefix = 'faults'

export interface FaultStackOptions {
  /** Names the folder of this stack's logs: test-artifacts/faults/<name>/. */
  name: string
  /** Pool workers, each driving an inference replica of its own (default 1). */
  workers?: number
  /** API instances (default 1); more than one are reached through an nginx reverse proxy. */
  apis?: number
  /** The apps reach PostgreSQL through PgBouncer in transaction mode (the stack's own checks go straight to it). */
  pgbouncer?: boolean
  model?: Partial<SimulatorParams>
  env?: Record<string, string>
  /** Bot settings over the suite's (no pacing of what the bot sends, no "thinking" notices). */
  botSettings?: BotSettingsInput
}

/**
 * The whole product as `npm start` runs it — API, pool workers and the WeChat bot each in a
 * process of its own — on a PostgreSQL and a Redis of the stack's own (so a test may restart
 * them), with an inference replica per worker that the test can make sick, and a stand-in of
 * WeChat's server API for the mini-program. The bot answers without human-like pacing.
 */
export class FaultStack {
  private constructor(
    readonly postgres: PrivatePostgres,
    readonly redis: PrivateRedis,
    readonly db: Db,
    readonly wechat: WeChatStandIn,
    readonly models: FaultyModel[],
    readonly apis: AppProcess[],
    readonly workers: AppProcess[],
    readonly bot: AppProcess,
    readonly apiUrl: string,
    readonly logDir: string,
    readonly proxy: NginxProxy | undefined,
    readonly pgbouncer: PgBouncer | undefined,
  ) {}

  /** The (first) API instance. */
  get api(): AppProcess {
    return this.apis[0]!
  }

  static async start(options: FaultStackOptions): Promise<FaultStack> {
    const [postgres, redis, wechat, ports] = await Promise.all([
      PrivatePostgres.start(),
      PrivateRedis.start(),
      WeChatStandIn.start(),
      Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort())),
    ])
    const databaseUrl = await postgres.createDatabase('chorus_faults')
    const pgbouncer = options.pgbouncer ? await PgBouncer.start({ postgresPort: postgres.port }) : undefined
    const db = createDb(databaseUrl, { poolSize: 4 })
    const settings = botSettings.parse({
      outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 },
      reply: { partDelayMs: 0, thinkingNoticeMs: 0 },
      ...options.botSettings,
    })
    await db.bot.create({ data: { name: botName, settings } })
    const models = await Promise.all(
      Array.from({ length: options.workers ?? 1 }, () => FaultyModel.start({ ttftMs: 20, itlMs: 10, replyTokens: 12, ...options.model })),
    )
    const env: Record<string, string> = {
      ...(pgbouncer
        ? // PgBouncer 1.18 in transaction mode cannot keep prepared statements.
          { DATABASE_URL: pgbouncer.url('chorus_faults'), DIRECT_DATABASE_URL: databaseUrl, CHORUS_DB_PREPARED_STATEMENTS: 'false' }
        : { DATABASE_URL: databaseUrl }),
      REDIS_URL: redis.url,
      CHORUS_REDIS_PREFIX: redisPrefix,
      PORT: String(ports[0]),
      LOG_LEVEL: 'info',
      CHORUS_BOT_NAME: botName,
      CHORUS_MODEL_URL: models[0]!.url,
      CHORUS_MODEL_NAME: 'chorus-simulator',
      CHORUS_API_KEYS: apiKey,
      CHORUS_ADMIN_EMAIL: 'admin@example.com',
      CHORUS_ADMIN_PASSWORD: 'admin-password-1',
      // The suite measures faults, not the per-user and per-group rate limits.
      CHORUS_USER_RATE_PER_MIN: '100000',
      CHORUS_GROUP_RATE_PER_MIN: '100000',
      WECHAT_APPID: 'wx-test-app',
      WECHAT_SECRET: 'wx-test-secret',
      WECHAT_API_BASE: wechat.url,
      WECHAT_CONTENT_CHECK: 'off',
      ...options.env,
    }
    const logDir = `${root}test-artifacts/faults/${options.name}`
    rmSync(logDir, { recursive: true, force: true })
    const apis = ports.map((port, i) => new AppProcess('api', { ...env, PORT: String(port) }, `${logDir}/api${i === 0 ? '' : `-${i}`}.log`))
    const workers = models.map((model, i) => new AppProcess('worker', { ...env, CHORUS_MODEL_URL: model.url }, `${logDir}/worker-${i}.log`))
    const bot = new AppProcess('bot', env, `${logDir}/bot.log`)
    await Promise.all([...apis.map((a) => a.start()), ...workers.map((w) => w.start()), bot.start()])
    const proxy = apis.length > 1 ? await NginxProxy.start(ports.map((port) => `127.0.0.1:${port}`)) : undefined
    const apiUrl = proxy?.url ?? `http://127.0.0.1:${ports[0]}`
    const stack = new FaultStack(postgres, redis, db, wechat, models, apis, workers, bot, apiUrl, logDir, proxy, pgbouncer)
    await stack.healthy(30_000)
    return stack
  }

  /** Every app process, for log checks. */
  get apps(): AppProcess[] {
    return [...this.apis, ...this.workers, this.bot]
  }

  /** App processes that exited without being told to (a fault must not crash anything). */
  get crashes(): string[] {
    return this.apps.flatMap((app) => app.crashes)
  }

  /** Resolves once the API reports the database, Redis and `workers` pool workers up. */
  async healthy(timeoutMs: number, workers = this.workers.filter((w) => w.running).length): Promise<void> {
    await waitFor(
      async () => {
        const res = await fetch(`${this.apiUrl}/healthz`)
        const body = (await res.json()) as { status: string; workers: number }
        return body.status === 'ok' && body.workers >= workers
      },
      timeoutMs,
      `the API to report ${workers} live worker(s)`,
    )
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop()))
    await this.proxy?.stop()
    await this.pgbouncer?.stop()
    await Promise.all(this.models.map((m) => m.close()))
    await this.wechat.close()
    await this.db.$disconnect()
    await Promise.all([this.postgres.destroy(), this.redis.destroy()])
  }
}
