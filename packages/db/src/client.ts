import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from './generated/prisma/client.js'

export type Db = PrismaClient

/** How `createDb` opens a client. */
export interface DbOptions {
  /** Connections kept at most (10 unless given). */
  poolSize?: number
  /** Whether raw statements (`rawRows`) are prepared once per connection (true unless given). */
  preparedStatements?: boolean
}

/** The `pg` pool under each client `createDb` opened (its adapter's, and the raw statements' (raw-sql.ts)), and how raw statements run. */
const pools = new WeakMap<Db, { pool: pg.Pool; preparedStatements: boolean }>()

function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config)
  // An idle connection that breaks (PostgreSQL restarting) leaves the pool; the next query opens another.
  pool.on('error', () => undefined)
  return pool
}

/**
 * Opens the one Prisma client an app uses, on the `pg` driver adapter (no native engine). Its
 * `pg` pool also runs the message path's raw statements without the Prisma runtime (`rawRows`).
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const config: pg.PoolConfig = { connectionString: databaseUrl, max: options.poolSize ?? 10 }
  const shared = { pool: openPool(config), preparedStatements: options.preparedStatements ?? true }
  const db = new PrismaClient({ adapter: new PrismaPg(shared.pool, { disposeExternalPool: true }) })
  pools.set(db, shared)
  const disconnect = db.$disconnect.bind(db)
  // The pool is closed even when only raw statements used it (Prisma closes it only once it used it
  // itself); a later query opens a new one, as Prisma reconnects after $disconnect.
  db.$disconnect = async () => {
    await disconnect()
    const { pool } = shared
    shared.pool = openPool(config)
    if (!pool.ended) await pool.end()
  }
  return db
}

/** The `pg` pool under `db` and how raw statements run on it, or undefined for a client `createDb` did not open. */
export function poolOf(db: Db): { pool: pg.Pool; preparedStatements: boolean } | undefined {
  return pools.get(db)
}
