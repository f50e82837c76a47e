import { createHash } from 'node:crypto'
import pg from 'pg'
import { poolOf, type Db } from './client.js'
import type { Prisma } from './generated/prisma/client.js'

// Values come back as `$queryRaw` returns them: bigint (int8) as BigInt, and a timestamp (without
// time zone, which Prisma writes in UTC) as a Date in UTC; json is parsed, the rest as `pg` reads it.
const parsers: Partial<Record<number, (value: string) => unknown>> = {
  [pg.types.builtins.INT8]: (value) => BigInt(value),
  [pg.types.builtins.TIMESTAMP]: (value) => new Date(`${value.replace(' ', 'T')}Z`),
}
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format !== 'binary' && parsers[oid]) || pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** A Date parameter goes as UTC, as Prisma writes timestamps. */
function parameter(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

// Each connection keeps the statements it prepared; texts beyond this many run unprepared, so a
// statement built with varying text (an IN list of any length, say) cannot fill its memory.
const maxPrepared = 200
const statementNames = new Map<string, string>()

/**
 * The name `text` is prepared under: the same on every connection (a hash of the text). PostgreSQL
 * then parses and plans it once per connection, not at every run (measured on the message path:
 * its four statements cost ~1.8 ms of the server's time a message unprepared, ~0.8 ms prepared).
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text)
  if (!name && statementNames.size < maxPrepared) {
    name = `chorus_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
    statementNames.set(text, name)
  }
  return name
}

async function run(db: Db, query: Prisma.Sql): Promise<pg.QueryResult> {
  const client = poolOf(db)
  if (!client) throw new Error('raw statements need a client opened by createDb')
  const name = client.preparedStatements ? statementName(query.text) : undefined
  return client.pool.query({ ...(name ? { name } : {}), text: query.text, values: query.values.map(parameter), types })
}

/**
 * Runs a raw statement straight on the `pg` pool under `db`, without the Prisma runtime (which
 * costs some 150 µs of CPU a statement): for the statements of the message path. Rows as
 * `$queryRaw` returns them (`T`: the rows' type, as `$queryRaw<T>` takes it).
 */
export async function rawRows<T extends unknown[]>(db: Db, query: Prisma.Sql): Promise<T> {
  return (await run(db, query)).rows as T
}

/** Runs a raw statement like `rawRows`; returns how many rows it changed, as `$executeRaw` does. */
export async function rawExecute(db: Db, query: Prisma.Sql): Promise<number> {
  return (await run(db, query)).rowCount ?? 0
}
