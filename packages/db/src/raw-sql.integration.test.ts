import { useTestDatabase } from '../../../test/support/test-database.js'
import { waitFor } from '../../../test/support/wait-for.js'
import { createDb } from './client.js'
import { Prisma } from './generated/prisma/client.js'
import { rawExecute, rawRows } from './raw-sql.js'

const testDatabase = useTestDatabase()

describe('raw statements on the pool under the Prisma client', () => {
  it('return rows as $queryRaw does: bigint as BigInt, timestamps as UTC Dates, json parsed', async () => {
    const { db } = testDatabase()
    const at = new Date('2026-03-04T05:06:07.089Z')
    const query = Prisma.sql`
      SELECT ${'9007199254740993'}::bigint AS big, ${at}::timestamp(3) AS at, ${'{"a":[1,"x"]}'}::jsonb AS doc,
             1.5::float8 AS real, 2::int AS small, true AS yes, ${null}::text AS nothing`
    const [raw] = await rawRows<Array<Record<string, unknown>>>(db, query)
    const [viaPrisma] = await db.$queryRaw<Array<Record<string, unknown>>>(query)
    expect(raw).toEqual({ big: 9007199254740993n, at, doc: { a: [1, 'x'] }, real: 1.5, small: 2, yes: true, nothing: null })
    expect(raw).toEqual(viaPrisma)
  })

  it('write a Date as Prisma does, so either reads back the same instant', async () => {
    const { db } = testDatabase()
    const at = new Date('2026-01-02T03:04:05.678Z')
    const bot = await db.bot.create({ data: { name: `raw-${Date.now()}` } })
    expect(await rawExecute(db, Prisma.sql`UPDATE bots SET created_at = ${at} WHERE id = ${bot.id}`)).toBe(1)
    expect((await db.bot.findUniqueOrThrow({ where: { id: bot.id } })).createdAt).toEqual(at)
    const [row] = await rawRows<Array<{ createdAt: Date }>>(db, Prisma.sql`SELECT created_at AS "createdAt" FROM bots WHERE id = ${bot.id}`)
    expect(row!.createdAt).toEqual(at)
  })

  it('leave no connection open once the client is disconnected, even when Prisma itself never ran a query', async () => {
    const database = testDatabase()
    const connections = async () => {
      const [row] = await database.db.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'raw-sql-test'`
      return row!.n
    }
    const url = new URL(database.url)
    url.searchParams.set('application_name', 'raw-sql-test')
    const db = createDb(url.toString(), { poolSize: 1 })
    await rawRows(db, Prisma.sql`SELECT 1`)
    expect(await connections()).toBe(1)
    await db.$disconnect()
    await waitFor(async () => (await connections()) === 0, 5000, 'the connection of the raw statements to close')
    // A query after $disconnect connects again, as Prisma's own do.
    await expect(rawRows(db, Prisma.sql`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }])
    await db.$disconnect()
    await waitFor(async () => (await connections()) === 0, 5000, 'the second connection to close')
  })

  describe('prepared statements', () => {
    // Every statement of one connection (poolSize 1) shows in pg_prepared_statements, the
    // question itself excepted.
    const prepared = (db: ReturnType<typeof createDb>) =>
      rawRows<Array<{ name: string; statement: string }>>(
        db,
        Prisma.sql`SELECT name, statement FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%' ORDER BY name`,
      )

    it('are prepared once per connection, under a name from their text, and give the same rows each time', async () => {
      const db = createDb(testDatabase().url, { poolSize: 1 })
      try {
        for (const n of [1, 2, 3]) expect(await rawRows(db, Prisma.sql`SELECT ${n}::int AS n`)).toEqual([{ n }])
        await rawRows(db, Prisma.sql`SELECT ${'x'}::text AS other`)
        const statements = await prepared(db)
        expect(statements.map((s) => s.statement).sort()).toEqual(['SELECT $1::int AS n', 'SELECT $1::text AS other'])
        expect(statements.every((s) => /^chorus_[0-9a-f]{24}$/.test(s.name))).toBe(true)
      } finally {
        await db.$disconnect()
      }
    })

    it('are not prepared when turned off (for PgBouncer before 1.21 in transaction mode)', async () => {
      const db = createDb(testDatabase().url, { poolSize: 1, preparedStatements: false })
      try {
        expect(await rawRows(db, Prisma.sql`SELECT ${7}::int AS n`)).toEqual([{ n: 7 }])
        expect(await prepared(db)).toEqual([])
      } finally {
        await db.$disconnect()
      }
    })
  })
})
