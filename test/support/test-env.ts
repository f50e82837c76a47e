import { randomBytes } from 'node:crypto'

/** The PostgreSQL server tests use (its `postgres` database); each test file gets its own database on it. */
export const testServerUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export function databaseUrl(name: string): string {
  const url = new URL(testServerUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** The migrated template database that test/global-setup.mjs prepared. */
export function templateName(): string {
  const name = process.env.TEST_DB_TEMPLATE
  if (!name) throw new Error('TEST_DB_TEMPLATE is not set: run the tests through jest (its global setup prepares it)')
  return name
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
}
