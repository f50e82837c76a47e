import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** Where the committed migrations live (top-level prisma/migrations). */
export const migrationsDir = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url))

export interface MigrationResult {
  applied: string[]
  alreadyApplied: string[]
}

// Prisma's own bookkeeping table, so `prisma migrate deploy` (where its engine can be
// downloaded) sees the same history as this runner.
const prismaMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

// Prisma's own lock key: `prisma migrate deploy` takes the same one, so it and this runner never
// migrate one database at once.
const lockKey = 72707369

/**
 * Applies every committed migration not yet recorded in `_prisma_migrations`, each in its own
 * transaction, one starter at a time (see applyOnce). Each must be able to run in a transaction
 * (no CREATE INDEX CONCURRENTLY).
 */
export async function migrate(databaseUrl: string, dir = migrationsDir): Promise<MigrationResult> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const result: MigrationResult = { applied: [], alreadyApplied: [] }
  try {
    for (const name of names) {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8')
      const applied = await applyOnce(client, name, sql)
      ;(applied ? result.applied : result.alreadyApplied).push(name)
    }
  } finally {
    await client.end()
  }
  return result
}

/**
 * Applies migration `name` unless it is recorded already; returns whether it applied it. One
 * transaction holds the advisory lock, reads the record (another starter may have applied it
 * while this one waited), applies and records: a transaction-scoped lock ends with its
 * transaction, which PgBouncer in transaction mode keeps on one server connection, where a
 * session's lock would stay on the server connection after the client let it go.
 */
async function applyOnce(client: pg.Client, name: string, sql: string): Promise<boolean> {
  const checksum = createHash('sha256').update(sql).digest('hex')
  await client.query('BEGIN')
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${lockKey})`)
    await client.query(prismaMigrationsTable)
    const recorded = await client.query<{ checksum: string }>(
      'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
      [name],
    )
    const previous = recorded.rows[0]?.checksum
    if (previous !== undefined && previous !== checksum) {
      throw new Error(`migration ${name} was changed after it was applied (checksum differs)`)
    }
    if (previous === undefined) await apply(client, name, sql, checksum)
    await client.query('COMMIT')
    return previous === undefined
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  }
}

async function apply(client: pg.Client, name: string, sql: string, checksum: string): Promise<void> {
  try {
    await client.query(sql)
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), checksum, name],
    )
  } catch (error) {
    throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error })
  }
}
