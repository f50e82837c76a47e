import { randomBytes } from 'node:crypto'
import { cpus, totalmem } from 'node:os'
import { Redis } from 'ioredis'
import pg from 'pg'
import { pino, type Logger } from 'pino'
import { ensureDatabase, migrate, quoteIdent } from '@chorus/db'

/** Every app logger in the bench: benchmarks print tables, not logs. */
export const silentLogger: Logger = pino({ level: 'silent' })

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function now(): number {
  return performance.now()
}

/** Runs `work` and reports how busy this process's event loop was meanwhile (0–1): near 1, the platform here is CPU-bound. */
export async function withLoopBusy<T>(work: () => Promise<T>): Promise<{ result: T; busy: number }> {
  const before = performance.eventLoopUtilization()
  const result = await work()
  return { result, busy: performance.eventLoopUtilization(before).utilization }
}

/** The `p`-th percentile (0–100) by the nearest-rank method. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}

/** Rounds for display and for the JSON line (3 significant decimals are plenty here). */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function forEachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  })
  await Promise.all(lanes)
}

/** Prints a titled table with aligned columns. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))]
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  console.log(`\n${title}`)
  console.log(line(cells[0]!))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of cells.slice(1)) console.log(line(row))
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value)) return String(value)
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(2)
}

export function machine(): { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string } {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

/** A fresh, migrated database on the server of `serverUrl`; drop it when done. */
export async function createBenchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(serverUrl)
  const name = uniqueName('chorus_bench')
  url.pathname = `/${name}`
  await ensureDatabase(url.toString())
  await migrate(url.toString())
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(serverUrl)
      admin.pathname = '/postgres'
      const client = new pg.Client({ connectionString: admin.toString() })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}

/** Deletes every Redis key under `prefix` (the bench's own keys only). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl)
  let deleted = 0
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) deleted += await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
  return deleted
}
