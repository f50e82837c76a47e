import { Queue, Worker } from 'bullmq'
import { readFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { createDb } from '@chorus/db'
import { transcriptKey } from '@chorus/wechat-simulator'
import { botName, type BenchStack } from './stack.js'
import type { SimulatorHost } from './simulators.js'
import { forEachLimited, now, printTable, round, withLoopBusy } from './support.js'
import { collectBotLines, postSimulatorMessage } from './transcript.js'
import { countWork, redisCommandsExecuted, type WorkCounts } from '../test/support/work-counts.js'
import { cpuMsOfTree } from '../test/faults/support/cpu.js'

export const throughputParams = {
  groups: 50,
  /** Each member asks once: every message is its own conversation, so none is merged with another. */
  membersPerGroup: 20,
  /** Simulated contacts posting at once. */
  senders: 50,
  workerConcurrency: 50,
  /** Messages through the platform before the timed run (connections, JIT, first-contact rows). */
  warmup: 100,
  /** An instant engine: the figure is the platform's own ceiling. */
  simulator: { ttftMs: 0, itlMs: 0, replyTokens: 1, prefillMsPerToken: 0, maxBatch: 1024 },
  bareJobs: 5000,
}

/** Sends one message from every member of every group at once and waits for all the replies. */
async function runMessages(
  stack: BenchStack,
  redisUrl: string,
  tag: string,
  groups: number,
  members: number,
): Promise<{ ms: number; texts: string[] }> {
  const rooms = Array.from({ length: groups }, (_, g) => `${tag}-group-${g}`)
  const messages = rooms.flatMap((room, g) =>
    Array.from({ length: members }, (_, m) => ({
      room,
      from: `${tag}-member-${g}-${m}`,
      text: `@Chorus question from member ${m} of group ${g}`,
    })),
  )
  // Reads the simulator's transcripts: counted with the simulator's round trips, not the platform's.
  const reader = new Redis(redisUrl, { connectionName: 'bench-transcripts-simulator' })
  try {
    const started = now()
    const replies = collectBotLines(
      reader,
      rooms.map((room) => transcriptKey(stack.keys, botName, { room })),
      messages.length,
      120_000,
    )
    await forEachLimited(messages, throughputParams.senders, async (message) => {
      await postSimulatorMessage(stack.api.url, message)
    })
    const { lastAt, texts } = await replies
    return { ms: lastAt - started, texts }
  } finally {
    reader.disconnect()
  }
}

/** Bare BullMQ: the same number of trivial jobs round trip (add → process → complete) at the same concurrency. */
async function bareBullmq(redisUrl: string, prefix: string, jobs: number, concurrency: number): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null })
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null })
  const queue = new Queue('bare', { connection, prefix })
  const worker = new Worker('bare', async () => 'ok', { connection: workerConnection, prefix, concurrency })
  try {
    await worker.waitUntilReady()
    let completed = 0
    const allDone = new Promise<void>((resolve) =>
      worker.on('completed', () => {
        if (++completed === jobs) resolve()
      }),
    )
    const started = now()
    for (let i = 0; i < jobs; i += 500) {
      const batch = Array.from({ length: Math.min(500, jobs - i) }, (_, j) => ({ name: 'job', data: { n: i + j } }))
      await queue.addBulk(batch)
    }
    await allDone
    return (jobs / (now() - started)) * 1000
  } finally {
    await worker.close()
    await queue.close()
    connection.disconnect()
    workerConnection.disconnect()
  }
}

/**
 * Figure 2: messages per second through the whole path (every message and reply stored in
 * PostgreSQL, delivered through the bot) with an instant engine, against bare BullMQ's round trip
 * at the same concurrency measured in the same run.
 */
export async function measureThroughput(
  stack: BenchStack,
  host: SimulatorHost,
  options: { redisUrl: string; databaseUrl: string; redisPrefix: string },
): Promise<Record<string, number>> {
  const p = throughputParams
  const simulator = await host.simulator(p.simulator)
  const total = p.groups * p.membersPerGroup
  let run: { ms: number; texts: string[] }
  let busy: number
  let counts: ServerCounts
  const worker = await stack.startWorker(simulator, p.workerConcurrency, 'bench-throughput')
  try {
    await runMessages(stack, options.redisUrl, 'warm', 10, p.warmup / 10)
    ;({
      result: { result: run, busy },
      counts,
    } = await countAll(options.redisUrl, options.databaseUrl, () =>
      withLoopBusy(() => runMessages(stack, options.redisUrl, 'tp', p.groups, p.membersPerGroup)),
    ))
  } finally {
    await worker.stop()
    await simulator.close()
  }
  const db = createDb(options.databaseUrl, { poolSize: 1 })
  const delivered = await db.message
    .count({ where: { role: 'assistant', status: 'delivered', channel: { title: { startsWith: 'tp-group-' } } } })
    .finally(() => db.$disconnect())
  const platform = (total / run.ms) * 1000
  const bare = await bareBullmq(options.redisUrl, `${options.redisPrefix}.bare`, p.bareJobs, p.workerConcurrency)
  printTable(
    `2. Throughput: ${total} messages from ${p.groups} groups × ${p.membersPerGroup} members at once, instant engine, concurrency ${p.workerConcurrency}`,
    ['path', 'msgs/s', 'notes'],
    [
      [
        'whole path (bot → PostgreSQL → pool → bot)',
        round(platform, 1),
        `${run.texts.length} model replies, ${delivered} delivered in PostgreSQL, ${round(run.ms / 1000, 2)} s, event loop ${round(busy * 100, 0)} % busy`,
      ],
      ['bare BullMQ round trip', round(bare, 1), `${p.bareJobs} trivial jobs, addBulk of 500`],
      ['ratio', (platform / bare).toFixed(4), ''],
    ],
  )
  const perMessage = (n: number) => round(n / total, 2)
  printTable(
    `2b. Work per answered group message (${total} messages, 1 worker; API, bot and worker in this process)`,
    ['work', 'per message'],
    [
      ['SQL statements', perMessage(counts.sqlStatements)],
      ['SQL transactions', perMessage(counts.sqlTransactions)],
      ['Redis round trips', perMessage(counts.redisRoundTrips)],
      ['  of which the WeChat simulator (standing in for WeChat)', perMessage(counts.simulatorRedisRoundTrips)],
      ['Redis commands executed (INFO commandstats)', perMessage(counts.redisCommands)],
      ['Node CPU ms', perMessage(counts.cpuMs)],
      ['Redis server CPU ms', perMessage(counts.redisCpuMs)],
      ['PostgreSQL CPU ms (all its processes)', counts.postgresCpuMs === undefined ? 'not measured' : perMessage(counts.postgresCpuMs)],
    ],
  )
  return {
    sql_statements_per_message: perMessage(counts.sqlStatements),
    sql_transactions_per_message: perMessage(counts.sqlTransactions),
    redis_round_trips_per_message: perMessage(counts.redisRoundTrips),
    redis_round_trips_per_message_without_simulator: perMessage(counts.redisRoundTrips - counts.simulatorRedisRoundTrips),
    redis_commands_per_message: perMessage(counts.redisCommands),
    node_cpu_ms_per_message: perMessage(counts.cpuMs),
    redis_cpu_ms_per_message: perMessage(counts.redisCpuMs),
    ...(counts.postgresCpuMs === undefined ? {} : { postgres_cpu_ms_per_message: perMessage(counts.postgresCpuMs) }),
    throughput_msgs_per_s: round(platform, 1),
    vs_bare_bullmq: round(platform / bare, 4),
    bare_bullmq_jobs_per_s: round(bare, 1),
    throughput_model_replies: run.texts.length,
    throughput_delivered_rows: delivered,
    throughput_event_loop_busy: round(busy, 2),
  }
}

/**
 * Redis commands per answered message again, with the same messages on 4 replicas (the same
 * concurrency in all): what a message costs must not grow with the pool. Run last on the stack,
 * after the streaming figures, which the 4 departed replicas would otherwise disturb.
 */
export async function measureWorkOnFourWorkers(
  stack: BenchStack,
  host: SimulatorHost,
  options: { redisUrl: string },
): Promise<Record<string, number>> {
  const p = throughputParams
  const total = p.groups * p.membersPerGroup
  const simulator = await host.simulator(p.simulator)
  const workers = await Promise.all(
    [1, 2, 3, 4].map((n) => stack.startWorker(simulator, Math.round(p.workerConcurrency / 4), `bench-four-${n}`)),
  )
  let counts: ServerCounts
  try {
    await runMessages(stack, options.redisUrl, 'warm4', 10, p.warmup / 10)
    ;({ counts } = await countAll(options.redisUrl, undefined, () =>
      runMessages(stack, options.redisUrl, 'tp4', p.groups, p.membersPerGroup),
    ))
  } finally {
    await Promise.all(workers.map((w) => w.stop()))
    await simulator.close()
  }
  const perMessage = (n: number) => round(n / total, 2)
  printTable(
    `2c. Work per answered group message on 4 workers (${total} messages)`,
    ['work', 'per message'],
    [
      ['SQL statements', perMessage(counts.sqlStatements)],
      ['Redis round trips', perMessage(counts.redisRoundTrips)],
      ['Redis commands executed (INFO commandstats)', perMessage(counts.redisCommands)],
    ],
  )
  return { redis_commands_per_message_4_workers: perMessage(counts.redisCommands) }
}

/** What the servers did besides: Redis commands executed and CPU, PostgreSQL CPU (when the bench can read it). */
type ServerCounts = WorkCounts & { redisCommands: number; redisCpuMs: number; postgresCpuMs?: number }

/** Redis's own CPU time so far (INFO cpu), ms. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
  return (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000
}

/**
 * PostgreSQL's CPU time so far (all its processes, from /proc), ms, when it runs on this machine
 * and the bench may read its postmaster.pid (as root, or as the postgres user); else undefined.
 */
async function postgresCpuMs(databaseUrl: string): Promise<number | undefined> {
  const db = createDb(databaseUrl, { poolSize: 1 })
  try {
    const [row] = await db.$queryRaw<Array<{ dir: string }>>`SELECT current_setting('data_directory') AS dir`
    const postmaster = Number(readFileSync(`${row!.dir}/postmaster.pid`, 'utf8').split('\n')[0])
    return cpuMsOfTree(postmaster)
  } catch {
    return undefined
  } finally {
    await db.$disconnect()
  }
}

/**
 * Counts the work `work` makes: in this process (statements, round trips, CPU), on Redis
 * (commands executed, CPU) and, given its URL, PostgreSQL's CPU.
 */
async function countAll<T>(
  redisUrl: string,
  databaseUrl: string | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; counts: ServerCounts }> {
  const stats = new Redis(redisUrl)
  try {
    const postgresBefore = databaseUrl ? await postgresCpuMs(databaseUrl) : undefined
    const cpuBefore = await redisCpuMs(stats)
    const before = await redisCommandsExecuted(stats)
    const { result, counts } = await countWork(work)
    // The two INFO calls themselves are left out.
    const redisCommands = (await redisCommandsExecuted(stats)) - before - 1
    const redisCpu = (await redisCpuMs(stats)) - cpuBefore
    const postgresAfter = databaseUrl && postgresBefore !== undefined ? await postgresCpuMs(databaseUrl) : undefined
    const postgresCpu = postgresAfter === undefined || postgresBefore === undefined ? undefined : postgresAfter - postgresBefore
    return {
      result,
      counts: { ...counts, redisCommands, redisCpuMs: redisCpu, ...(postgresCpu === undefined ? {} : { postgresCpuMs: postgresCpu }) },
    }
  } finally {
    stats.disconnect()
  }
}
