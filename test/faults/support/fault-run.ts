import type { AppProcess } from './app-process.js'
import type { AuditResult } from './delivery-audit.js'
import { timeToRecovery } from './fault-report.js'
import { FaultStack, type FaultStackOptions } from './fault-stack.js'
import { Traffic } from './traffic.js'

export interface FaultRun {
  stack: FaultStack
  traffic: Traffic
}

/**
 * A fault stack and its traffic for the enclosing `describe`: started before its first test,
 * stopped after its last. Returns a getter, since they exist only once `beforeAll` has run.
 */
export function faultStack(options: FaultStackOptions): () => FaultRun {
  let run: FaultRun | undefined
  beforeAll(async () => {
    const stack = await FaultStack.start(options)
    run = { stack, traffic: new Traffic(stack, options.name) }
  })
  afterAll(async () => {
    await run?.traffic.stop()
    await run?.stack.stop()
  })
  return () => {
    if (!run) throw new Error('the fault stack has not started')
    return run
  }
}

/** The suite's promise for every fault: nothing lost, nothing duplicated, no process crashed. */
export function expectNothingLost(result: AuditResult, stack: FaultStack): void {
  expect(result.problems).toEqual([])
  expect(result.lost).toBe(0)
  expect(result.duplicated).toBe(0)
  expect(stack.crashes).toEqual([])
}

/**
 * The promise every fault test holds the system to: a fresh question is answered within this long
 * of the fault (or of the replicas healing), with no one stepping in. docs/reliability.md states it.
 */
export const recoveryWithinMs = 30_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Kills `app` (SIGKILL) and starts it again `downMs` later, as `npm start` restarts a process
 * that exits; returns how soon after the kill a fresh question in group `probeRoom` was answered.
 */
export async function crashAndRecover(traffic: Traffic, app: AppProcess, downMs: number, probeRoom: string): Promise<number> {
  const at = Date.now()
  await app.kill('SIGKILL')
  const restarted = sleep(downMs).then(() => app.start())
  const recoveryMs = await timeToRecovery(traffic, probeRoom, at, { timeoutMs: recoveryWithinMs })
  await restarted
  return recoveryMs
}

/** Stops a server (PostgreSQL, Redis) and starts it again `downMs` later; returns when it went down. */
export async function restartServer(server: { down(): Promise<void>; up(): Promise<void> }, downMs: number): Promise<number> {
  const at = Date.now()
  await server.down()
  await sleep(downMs)
  await server.up()
  return at
}
