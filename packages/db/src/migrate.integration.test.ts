import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PgBouncer } from '../../../test/support/pgbouncer.js'
import { createEmptyDatabase } from '../../../test/support/test-database.js'
import { migrate, migrationsDir, type MigrationResult } from './migrate.js'

type EmptyDatabase = Awaited<ReturnType<typeof createEmptyDatabase>>

let bouncer: PgBouncer
let database: EmptyDatabase

beforeAll(async () => {
  // Two server connections for the two starters: between transactions each may go on the other's.
  bouncer = await PgBouncer.start({ poolMode: 'transaction', defaultPoolSize: 2 })
})

afterAll(async () => {
  await bouncer?.stop()
})

beforeEach(async () => {
  database = await createEmptyDatabase()
})

afterEach(async () => {
  await database?.drop()
})

async function query<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<Row>(text)).rows
  } finally {
    await client.end()
  }
}

/** `work`, or a failure once `ms` have passed: a migration waiting on a lock nobody will release would wait for ever. */
async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

async function committedMigrations(): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
}

/** Two starters together applied each committed migration exactly once, and each saw all of them. */
async function expectEachAppliedOnce(runs: MigrationResult[]): Promise<void> {
  const all = await committedMigrations()
  expect(runs.flatMap((run) => run.applied).sort()).toEqual(all)
  for (const run of runs) expect([...run.applied, ...run.alreadyApplied].sort()).toEqual(all)
  const recorded = await query<{ migration_name: string; rows: number }>(
    database.url,
    'SELECT migration_name, count(*)::int AS rows FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name',
  )
  expect(recorded).toEqual(all.map((name) => ({ migration_name: name, rows: 1 })))
}

/** Advisory locks held on the test's database now, by anyone. */
async function advisoryLocks(): Promise<number> {
  const [row] = await query<{ locks: number }>(
    database.url,
    `SELECT count(*)::int AS locks FROM pg_locks
     WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  )
  return row!.locks
}

describe('migrate', () => {
  it('applies each migration once when two starters migrate a fresh database at once', async () => {
    const runs = await within(20_000, Promise.all([migrate(database.url), migrate(database.url)]), 'two migrations at once')

    await expectEachAppliedOnce(runs)
    expect(await advisoryLocks()).toBe(0)
  })

  it('applies each migration once when two starters migrate at once through PgBouncer in transaction mode, and leaves no lock behind', async () => {
    const url = bouncer.url(database.name)

    const runs = await within(20_000, Promise.all([migrate(url), migrate(url)]), 'two migrations at once through PgBouncer')

    await expectEachAppliedOnce(runs)
    expect(await advisoryLocks()).toBe(0)
    expect(await bouncer.serverConnections(database.name)).toBeLessThanOrEqual(2)
    const third = await within(10_000, migrate(url), 'a third migration through PgBouncer')
    expect(third).toEqual({ applied: [], alreadyApplied: await committedMigrations() })
  })

  describe('on migrations of its own', () => {
    let dir: string

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'chorus-migrations-'))
    })

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    async function write(name: string, sql: string): Promise<void> {
      await mkdir(join(dir, name), { recursive: true })
      await writeFile(join(dir, name, 'migration.sql'), sql)
    }

    it('applies only what is new, in name order', async () => {
      await write('002_b', 'INSERT INTO steps VALUES (2);')
      await write('001_a', 'CREATE TABLE steps (n int);')
      expect(await migrate(database.url, dir)).toEqual({ applied: ['001_a', '002_b'], alreadyApplied: [] })
      await write('003_c', 'INSERT INTO steps VALUES (3);')

      expect(await migrate(database.url, dir)).toEqual({ applied: ['003_c'], alreadyApplied: ['001_a', '002_b'] })
      expect(await query(database.url, 'SELECT n FROM steps ORDER BY n')).toEqual([{ n: 2 }, { n: 3 }])
    })

    it('refuses a migration whose file changed after it was applied', async () => {
      await write('001_a', 'CREATE TABLE steps (n int);')
      await migrate(database.url, dir)
      await write('001_a', 'CREATE TABLE steps (n bigint);')

      await expect(migrate(database.url, dir)).rejects.toThrow('migration 001_a was changed after it was applied (checksum differs)')
    })

    it('rolls a failing migration back whole, records nothing of it, and names it', async () => {
      await write('001_a', 'CREATE TABLE steps (n int);')
      await write('002_b', 'INSERT INTO steps VALUES (2); INSERT INTO nowhere VALUES (1);')

      await expect(migrate(database.url, dir)).rejects.toThrow(/^migration 002_b failed: relation "nowhere" does not exist/)
      expect(await query(database.url, 'SELECT n FROM steps')).toEqual([])
      expect(await query(database.url, 'SELECT migration_name FROM "_prisma_migrations"')).toEqual([{ migration_name: '001_a' }])
      expect(await advisoryLocks()).toBe(0)
    })
  })
})
