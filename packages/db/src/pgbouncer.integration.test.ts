import { PgBouncer } from '../../../test/support/pgbouncer.js'
import { useTestDatabase } from '../../../test/support/test-database.js'
import { createDb, poolOf, type Db } from './client.js'
import { Prisma } from './generated/prisma/client.js'
import { rawRows } from './raw-sql.js'

// Behind PgBouncer in transaction mode (1.18 here: no prepared statements kept), as an operator
// runs several machines' processes on one PostgreSQL.
const testDatabase = useTestDatabase()
const serverPoolSize = 2
let bouncer: PgBouncer
const opened: Db[] = []

beforeAll(async () => {
  bouncer = await PgBouncer.start({ poolMode: 'transaction', defaultPoolSize: serverPoolSize })
})

afterAll(async () => {
  await Promise.all(opened.map((db) => db.$disconnect()))
  await bouncer?.stop()
})

function databaseName(): string {
  return decodeURIComponent(new URL(testDatabase().url).pathname.slice(1))
}

/** A client through PgBouncer, as an app opens it with CHORUS_DB_PREPARED_STATEMENTS=false. */
function throughBouncer(poolSize: number): Db {
  const db = createDb(bouncer.url(databaseName()), { poolSize, preparedStatements: false })
  opened.push(db)
  return db
}

describe('Chorus behind PgBouncer in transaction mode', () => {
  it('runs raw statements, Prisma queries and an interactive transaction with prepared statements off', async () => {
    const db = throughBouncer(4)
    const bot = await db.bot.create({ data: { name: 'behind-pgbouncer' } })

    const rows = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        rawRows<Array<{ name: string; n: number }>>(db, Prisma.sql`SELECT name, ${i}::int AS n FROM bots WHERE id = ${bot.id}`),
      ),
    )
    const renamed = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rename:${bot.id}`}))`
      await tx.bot.update({ where: { id: bot.id }, data: { name: 'renamed' } })
      return tx.bot.findUniqueOrThrow({ where: { id: bot.id } })
    })

    expect(rows).toEqual(Array.from({ length: 8 }, (_, n) => [{ name: 'behind-pgbouncer', n }]))
    expect(renamed.name).toBe('renamed')
    expect((await db.bot.findUniqueOrThrow({ where: { id: bot.id } })).name).toBe('renamed')
  })

  it("serves the API's, the worker's and the bot's pools, every connection busy, from fewer server connections", async () => {
    // Each app's default pool size (docs/configuration.md).
    const poolSizes = [10, 5, 5]
    const pools = poolSizes.map((size) => throughBouncer(size))

    await Promise.all(pools.flatMap((db, i) => Array.from({ length: poolSizes[i]! }, () => rawRows(db, Prisma.sql`SELECT pg_sleep(0.02)`))))

    const clients = pools.reduce((sum, db) => sum + poolOf(db)!.pool.totalCount, 0)
    const servers = await bouncer.serverConnections(databaseName())
    expect(clients).toBe(20)
    expect(servers).toBeGreaterThan(0)
    expect(servers).toBeLessThanOrEqual(serverPoolSize)
  })
})
