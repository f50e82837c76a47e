// Creates, once per migration set, the migrated template database that every test database
// copies (CREATE DATABASE … TEMPLATE is far faster than migrating each one). Plain JS: jest
// loads global setup outside its ESM transform.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const root = fileURLToPath(new URL('..', import.meta.url))
const migrations = join(root, 'prisma', 'migrations')

export default async function globalSetup() {
  const server = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const hash = createHash('sha256')
  for (const entry of readdirSync(migrations, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()) {
    hash.update(entry).update(readFileSync(join(migrations, entry, 'migration.sql')))
  }
  const name = `chorus_test_tpl_${hash.digest('hex').slice(0, 12)}`
  process.env.TEST_DB_TEMPLATE = name
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  try {
    await admin.query('SELECT pg_advisory_lock(4242)')
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount) return
    const building = `${name}_building`
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
    await admin.query(`CREATE DATABASE "${building}"`)
    const url = new URL(server)
    url.pathname = `/${building}`
    // DIRECT_DATABASE_URL too: the runner migrates there when it is set (as it may be in a developer's shell).
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/db/src/cli/migrate.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url.toString(), DIRECT_DATABASE_URL: url.toString() },
      encoding: 'utf8',
    })
    if (run.status !== 0) throw new Error(`migrating the test template failed:\n${run.stdout}${run.stderr}`)
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
    await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`)
  } finally {
    await admin.query('SELECT pg_advisory_unlock(4242)').catch(() => undefined)
    await admin.end()
  }
}
