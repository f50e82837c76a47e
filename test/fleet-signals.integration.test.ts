import { pino } from 'pino'
import { apiConfigSchema, startApi, type RunningApi } from '@chorus/api'
import { parseEnv } from '@chorus/config'
import { readEvents } from './support/event-stream.js'
import { StaffClient } from './support/staff-client.js'
import { createTestDatabase, type TestDatabase } from './support/test-database.js'
import { createTestRedisPrefix } from './support/test-redis.js'
import { waitFor } from './support/wait-for.js'

// Two API processes of one fleet (same database, same Redis prefix): what an admin does through
// one must take effect in the other within a second, not when its own state next expires.

const admin = { email: 'admin@example.com', password: 'admin-password-1' }
const password = 'agent-password-1'
const withinMs = 1000

/** Resolves with `promise`, or fails once `ms` have passed since `since`. */
function within<T>(promise: Promise<T>, since: number, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), Math.max(0, since + ms - Date.now()))
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

describe('signals to every API process of a fleet', () => {
  let database: TestDatabase
  let cleanupRedis: () => Promise<void>
  let a: RunningApi
  let b: RunningApi
  let root: StaffClient
  const streams: AbortController[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    const redis = await createTestRedisPrefix()
    cleanupRedis = redis.cleanup
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      CHORUS_REDIS_PREFIX: redis.prefix,
      PORT: '0',
      CHORUS_ADMIN_EMAIL: admin.email,
      CHORUS_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'silent',
    }
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
    a = await startApi(parseEnv(apiConfigSchema, env), logger, { host: '127.0.0.1' })
    b = await startApi(parseEnv(apiConfigSchema, env), logger, { host: '127.0.0.1' })
    root = await StaffClient.login(a.url, admin.email, admin.password)
  })

  afterAll(async () => {
    for (const stream of streams) stream.abort()
    await b?.stop()
    await a?.stop()
    await database?.drop()
    await cleanupRedis?.()
  })

  /** Opens the console's live stream on `api`; resolves once connected. `ended` resolves when the server ends it. */
  async function liveStream(api: RunningApi, token: string): Promise<{ open: boolean; ended: Promise<void> }> {
    const abort = new AbortController()
    streams.push(abort)
    const res = await fetch(`${api.url}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })
    expect(res.status).toBe(200)
    const stream = { open: true, ended: readEvents(res.body!, () => undefined).finally(() => (stream.open = false)) }
    // Aborted by afterAll when a test failed: not a failure of its own.
    stream.ended.catch(() => undefined)
    return stream
  }

  const models = (api: RunningApi, key: string) => fetch(`${api.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })

  it('ends a disabled agent’s live stream on the other API process within a second', async () => {
    const email = 'fleet-agent@example.com'
    await root.ok('POST', '/api/staff', { email, displayName: 'Fleet agent', password, role: 'agent' }, 201)
    const agent = await StaffClient.login(b.url, email, password)
    const stream = await liveStream(b, agent.token)
    expect((await agent.call('GET', '/api/me')).status).toBe(200)
    expect(stream.open).toBe(true)

    const start = Date.now()
    await root.ok('PATCH', `/api/staff/${agent.id}`, { disabled: true })
    await within(stream.ended, start, withinMs, 'the stream on B ended')

    // Reconnecting to B is refused: the session ended with the account.
    const again = await fetch(`${b.url}/api/events`, { headers: { authorization: `Bearer ${agent.token}` } })
    expect(again.status).toBe(401)
  })

  it('refuses a revoked /v1 key on the other API process within a second, though it had it cached', async () => {
    const { apiKey, key } = await root.ok<{ apiKey: { id: string }; key: string }>('POST', '/api/api-keys', { name: 'fleet' }, 201)
    expect((await models(a, key)).status).toBe(200)
    // B looks the key up once and caches the answer for ten seconds.
    expect((await models(b, key)).status).toBe(200)
    expect((await models(b, key)).status).toBe(200)

    const start = Date.now()
    await root.ok('DELETE', `/api/api-keys/${apiKey.id}`, undefined, 204)
    expect((await models(a, key)).status).toBe(401)
    const refused = await waitFor(
      async () => {
        const res = await models(b, key)
        return res.status === 401 && ((await res.json()) as { error: { code: string } })
      },
      Math.max(0, start + withinMs - Date.now()),
      'the revoked key refused on B',
    )
    expect(refused.error.code).toBe('invalid_api_key')
  })
})
