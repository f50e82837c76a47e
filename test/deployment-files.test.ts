import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// The Docker deployment checked without a Docker engine: docker-compose.yml, deploy/nginx.conf and
// the Dockerfile against what the apps need. `docker compose config` runs too where it exists.
const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8')

interface Service {
  image?: string
  build?: unknown
  command?: string[]
  ports?: unknown[]
  expose?: string[]
  environment?: Record<string, string>
  volumes?: string[]
}

const { services } = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }
// Chorus's own services are the ones built from the Dockerfile.
const chorus = Object.entries(services).filter(([, service]) => service.build !== undefined)
const hostOf = (url: string | undefined) => (url === undefined ? undefined : new URL(url).hostname)
// What `npm run build:apps` writes.
const bundles = [...read('scripts/build-apps.mjs').matchAll(/out: '([^']+)'/g)].map((match) => match[1])

describe('docker-compose.yml', () => {
  it('publishes one HTTP port, the proxy’s, so the API can be scaled', () => {
    const published = Object.entries(services).filter(([, service]) => service.ports !== undefined)
    expect(published.map(([name]) => name)).toEqual(['proxy'])
    expect(services.proxy?.image).toMatch(/^nginx:/)
    expect(services.api?.expose).toEqual(['3000'])
  })

  it('runs every Chorus service from a compiled bundle with plain node', () => {
    expect(chorus.map(([name]) => name).sort()).toEqual(['api', 'bot', 'migrate', 'worker'])
    for (const [name, service] of chorus) {
      expect({ name, command: service.command }).toEqual({ name, command: ['node', expect.stringMatching(/\/dist\/.*\.js$/)] })
      expect(bundles).toContain(service.command?.[1])
    }
  })

  it('gives the workers a model only when the operator configures one', () => {
    const environment = services.worker?.environment ?? {}
    for (const value of Object.values(environment)) expect(value).not.toContain('simulator')
    for (const name of ['CHORUS_MODEL_URL', 'CHORUS_MODEL_NAME', 'CHORUS_GGUF_PATH', 'CHORUS_MODEL', 'CHORUS_MODEL_HUB_URL']) {
      expect(environment[name]).toBe(`\${${name}:-}`)
    }
  })

  it('keeps CHORUS_MODEL downloads in one volume for every worker, writable by the image’s user', () => {
    expect(services.worker?.volumes).toContain('models:/app/.chorus/models')
    expect(read('Dockerfile')).toMatch(/RUN mkdir -p \.chorus\/models && chown node:node \.chorus\/models\nUSER node\n/)
  })

  it('reaches PostgreSQL through PgBouncer in transaction mode, and migrates straight to it', () => {
    for (const [name, service] of chorus.filter(([name]) => name !== 'migrate')) {
      expect({ name, host: hostOf(service.environment?.DATABASE_URL) }).toEqual({ name, host: 'pgbouncer' })
    }
    const migrate = services.migrate?.environment ?? {}
    expect(hostOf(migrate.DIRECT_DATABASE_URL ?? migrate.DATABASE_URL)).toBe('postgres')
    expect(services.pgbouncer?.environment?.POOL_MODE).toBe('transaction')
  })

  it('keeps prepared statements on only behind a PgBouncer that keeps them (1.21 or later, max_prepared_statements set)', () => {
    const prepared = chorus.some(([, service]) => service.environment?.CHORUS_DB_PREPARED_STATEMENTS !== 'false')
    if (!prepared) return
    const [major = 0, minor = 0] = (/:v?(\d+)\.(\d+)/.exec(services.pgbouncer?.image ?? '') ?? []).slice(1).map(Number)
    expect(major * 100 + minor).toBeGreaterThanOrEqual(121)
    expect(Number(services.pgbouncer?.environment?.MAX_PREPARED_STATEMENTS)).toBeGreaterThan(0)
  })

  const compose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' })
  const composeTest = compose.status === 0 ? it : it.skip
  composeTest(`is a valid Compose file (docker compose config${compose.status === 0 ? '' : '; skipped: no docker compose here'})`, () => {
    const config = spawnSync('docker', ['compose', 'config', '-q'], { cwd: root, encoding: 'utf8' })
    expect({ status: config.status, stderr: config.stderr }).toMatchObject({ status: 0 })
  })
})

describe('deploy/nginx.conf', () => {
  const nginx = read('deploy/nginx.conf')

  it('streams server-sent events unbuffered and finds every API replica through Docker’s DNS', () => {
    expect(nginx).toContain('proxy_buffering off;')
    expect(nginx).toContain('proxy_cache off;')
    expect(nginx).toContain('resolver 127.0.0.11')
    expect(nginx).toMatch(/server api:3000 resolve\b/)
  })

  it('accepts a knowledge upload of 20 MiB', () => {
    expect(Number(/client_max_body_size (\d+)m;/.exec(nginx)?.[1])).toBeGreaterThan(20)
  })
})

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')

  it('builds on Node 22 and runs the compiled API as the unprivileged node user, without tsx', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])
    expect(bases.length).toBeGreaterThan(1)
    for (const base of bases) expect(base).toMatch(/^node:22-/)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).not.toMatch(/tsx/)
    expect(dockerfile).toMatch(/^CMD \["node", "apps\/api\/dist\/main\.js"\]$/m)
  })
})
