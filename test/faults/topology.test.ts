import { audit } from './support/delivery-audit.js'
import { report } from './support/fault-report.js'
import { expectNothingLost, faultStack } from './support/fault-run.js'
import type { FaultStack } from './support/fault-stack.js'
import type { Traffic } from './support/traffic.js'
import { waitFor } from '../support/wait-for.js'

/** Every process of the topology that uses CPU, by name (api, api-1, worker-0, …, bot, the servers). */
function processes(stack: FaultStack): Array<readonly [string, { cpuMs(): number }]> {
  return [
    ...stack.apis.map((app, i) => [i === 0 ? 'api' : `api-${i}`, app] as const),
    ...stack.workers.map((app, i) => [`worker-${i}`, app] as const),
    ['bot', stack.bot] as const,
    ['nginx', stack.proxy!] as const,
    ['pgbouncer', stack.pgbouncer!] as const,
    ['postgres', stack.postgres] as const,
    ['redis', stack.redis] as const,
  ]
}

/**
 * CPU time each process spends on a message, ms: what it used while `work` ran, less what it uses
 * idle (heartbeats, schedules, blocking reads) over as long, measured just before.
 */
async function cpuPerMessage(stack: FaultStack, work: () => Promise<number>): Promise<Record<string, number>> {
  const named = processes(stack)
  const read = () => named.map(([, p]) => p.cpuMs())
  const idleMs = 5000
  const atRest = read()
  await new Promise((resolve) => setTimeout(resolve, idleMs))
  const before = read()
  const started = Date.now()
  const messages = await work()
  const busyMs = Date.now() - started
  const after = read()
  return Object.fromEntries(
    named.map(([name], i) => {
      const idle = ((before[i]! - atRest[i]!) / idleMs) * busyMs
      return [`cpu_ms_per_message_${name}`, Math.round((Math.max(0, after[i]! - before[i]! - idle) / messages) * 100) / 100]
    }),
  )
}

/** Steady mixed traffic over four groups and three mini-program users, through the proxy. */
async function steadyTraffic(traffic: Traffic, durationMs: number): Promise<void> {
  const users = await Promise.all([1, 2, 3].map(() => traffic.miniProgramUser()))
  await traffic.steady({ perSecond: 20, durationMs, rooms: ['Topology-A', 'Topology-B', 'Topology-C', 'Topology-D'], users })
}

describe('the deployed topology: nginx in front of 2 APIs, PgBouncer (transaction mode), 3 pool workers, 1 bot', () => {
  // Replies take about half a second, so a killed worker is mid-generation.
  const run = faultStack({ name: 'topology', apis: 2, workers: 3, pgbouncer: true, model: { ttftMs: 50, itlMs: 40, replyTokens: 12 } })

  it('answers steady traffic through both API instances on fewer PostgreSQL connections than the apps open, and says what each process costs', async () => {
    const { stack, traffic } = run()
    let result: Awaited<ReturnType<typeof audit>> | undefined
    const perMessage = await cpuPerMessage(stack, async () => {
      await steadyTraffic(traffic, 10_000)
      result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
      return result.accepted
    })
    report('topology: steady traffic, nothing killed', result!, {
      ...perMessage,
      serverConnections: await stack.pgbouncer!.serverConnections('chorus_faults'),
    })
    expectNothingLost(result!, stack)
    expect(result!.accepted).toBe(traffic.questions.length)
    expect(result!.accepted).toBeGreaterThanOrEqual(150)
    // Both instances answered a fair share of the requests (round robin).
    const answered = [...stack.proxy!.answeredBy().values()]
    expect(answered).toHaveLength(2)
    expect(Math.min(...answered)).toBeGreaterThan(Math.max(...answered) / 3)
    // Each app opens up to its pool size (API 10, worker 5, bot 5: 2×10 + 3×5 + 5 = 40); PgBouncer
    // shares far fewer server connections among them.
    expect(await stack.pgbouncer!.serverConnections('chorus_faults')).toBeLessThanOrEqual(20)
  })

  it('answers every message exactly once when an API instance and a worker are killed (SIGKILL) mid-load', async () => {
    const { stack, traffic } = run()
    const asked = traffic.questions.length
    const load = steadyTraffic(traffic, 12_000)
    // Mid-load, with answers streaming through both instances and every worker generating.
    await waitFor(
      async () => traffic.questions.length >= asked + 60 && stack.models.every((m) => m.replica.inFlight > 0),
      15_000,
      'the load to spread',
    )
    await Promise.all([stack.apis[1]!.kill('SIGKILL'), stack.workers[1]!.kill('SIGKILL')])
    await load

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report('topology: an API and a worker SIGKILLed mid-load', result)
    expectNothingLost(result, stack)
    expect(result.accepted).toBe(traffic.questions.length)
    expect(result.accepted - asked).toBeGreaterThanOrEqual(150)
    // Only /v1 streams cut by the dying API may have failed (clearly); everyone else got their answer.
    const failed = traffic.questions.filter((q) => traffic.answersTo(q)[0]?.kind === 'failure')
    expect(failed.every((q) => q.channel === 'v1')).toBe(true)
  })
})
