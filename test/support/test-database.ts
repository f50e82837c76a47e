import pg from 'pg'
import { createDb, type Db } from '@chorus/db'
import { databaseUrl, templateName, testServerUrl, uniqueName } from './test-env.js'

export interface TestDatabase {
  url: string
  db: Db
  drop(): Promise<void>
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

/** A fresh, migrated database of the test's own (a copy of the template); drop it when done. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName('chorus_t')
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`))
  const url = databaseUrl(name)
  const db = createDb(url, { poolSize: 4 })
  return {
    url,
    db,
    async drop() {
      await db.$disconnect()
      await dropDatabase(name)
    },
  }
}

/** A fresh database of the test's own with nothing in it, not even the migrations (for tests of the migrations); drop it when done. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueName('chorus_empty')
  await admin((c) => c.query(`CREATE DATABASE "${name}"`))
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) }
}

/** A test database for the file (or describe) that calls this, created before its tests and dropped after; returns a getter for it. */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database?.drop()
  })
  return () => {
    if (!database) throw new Error('the test database has not been created')
    return database
  }
}
