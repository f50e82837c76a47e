import { Redis } from 'ioredis'
import pg from 'pg'

/** What the platform did in this process while counting: statements, transactions, round trips, CPU. */
export interface WorkCounts {
  /** SQL statements sent through `pg`, transaction control (BEGIN, COMMIT…) left out. */
  sqlStatements: number
  /** Explicit transactions plus statements run on their own (each its own transaction). */
  sqlTransactions: number
  /** Writes to Redis: a command on its own, or a whole pipeline or MULTI (ioredis sends it at once). */
  redisRoundTrips: number
  /** Of those, the ones the WeChat simulator made (its connections are named `…-simulator…`): they stand in for WeChat's traffic. */
  simulatorRedisRoundTrips: number
  /** CPU time of this process (user + system). */
  cpuMs: number
}

const transactionControl = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i
const opensTransaction = /^\s*(BEGIN|START TRANSACTION)\b/i
const closesTransaction = /^\s*(COMMIT|ROLLBACK)\b/i

let counting: WorkCounts | undefined
const inTransaction = new WeakSet<object>()
const pipelinesSeen = new WeakSet<object>()

function sqlText(config: unknown): string {
  if (typeof config === 'string') return config
  return typeof (config as { text?: unknown } | null)?.text === 'string' ? (config as { text: string }).text : ''
}

// The hooks count only between start() and stop(); otherwise they pass straight through.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
  if (counting) {
    const text = sqlText(args[0])
    if (opensTransaction.test(text)) {
      inTransaction.add(this)
      counting.sqlTransactions++
    } else if (closesTransaction.test(text)) {
      inTransaction.delete(this)
    } else if (!transactionControl.test(text)) {
      counting.sqlStatements++
      if (!inTransaction.has(this)) counting.sqlTransactions++
    }
  }
  return query.apply(this, args)
} as typeof pg.Client.prototype.query

const sendCommand = Redis.prototype.sendCommand
Redis.prototype.sendCommand = function (this: Redis, command, stream) {
  if (counting) {
    const pipeline = stream && 'isPipeline' in stream && stream.isPipeline ? (stream as object) : undefined
    const roundTrip = !pipeline || !pipelinesSeen.has(pipeline)
    if (pipeline) pipelinesSeen.add(pipeline)
    if (roundTrip) {
      counting.redisRoundTrips++
      if (this.options.connectionName?.includes('-simulator')) counting.simulatorRedisRoundTrips++
    }
  }
  return sendCommand.call(this, command, stream)
}

/**
 * Counts the work done in this process while `work` runs (the bench runs API, bot and workers
 * here). Not reentrant: one count at a time.
 */
export async function countWork<T>(work: () => Promise<T>): Promise<{ result: T; counts: WorkCounts }> {
  if (counting) throw new Error('already counting')
  const counts: WorkCounts = { sqlStatements: 0, sqlTransactions: 0, redisRoundTrips: 0, simulatorRedisRoundTrips: 0, cpuMs: 0 }
  const cpu = process.cpuUsage()
  counting = counts
  try {
    const result = await work()
    const used = process.cpuUsage(cpu)
    counts.cpuMs = (used.user + used.system) / 1000
    return { result, counts }
  } finally {
    counting = undefined
  }
}

/** Commands Redis executed, from `INFO commandstats` (Lua scripts' own calls included). */
export async function redisCommandsExecuted(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats')
  let calls = 0
  for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(match[1])
  return calls
}
