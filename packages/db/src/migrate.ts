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

/**
 * Applies every committed migration not yet recorded in `_prisma_migrations`, each in its own
 * transaction, under an advisory lock so concurrent starters do not race.
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
    await client.query('SELECT pg_advisory_lock(72707369)')
    await client.query(prismaMigrationsTable)
    const done = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    const applied = new Map(done.rows.map((r) => [r.migration_name, r.checksum]))
    for (const name of names) {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8')
      const checksum = createHash('sha256').update(sql).digest('hex')
      const previous = applied.get(name)
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${name} was changed after it was applied (checksum differs)`)
        result.alreadyApplied.push(name)
        continue
      }
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error })
      }
      result.applied.push(name)
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707369)').catch(() => undefined)
    await client.end()
  }
  return result
}
