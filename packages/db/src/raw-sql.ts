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

async function run(db: Db, query: Prisma.Sql): Promise<pg.QueryResult> {
  const pool = poolOf(db)
  if (!pool) throw new Error('raw statements need a client opened by createDb')
  return pool.query({ text: query.text, values: query.values.map(parameter), types })
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
