import { audit } from './support/delivery-audit.js'
import { report, timeToRecovery } from './support/fault-report.js'
import { expectNothingLost, faultStack, recoveryWithinMs, restartServer } from './support/fault-run.js'
import type { FaultStack } from './support/fault-stack.js'

describe.each([
  {
    server: 'Redis',
    // Nothing kept on disk: every queue, stream and key is lost.
    what: 'PostgreSQL is the record; what Redis lost is queued or announced again',
    downMs: 1000,
    of: (stack: FaultStack) => stack.redis,
  },
  {
    server: 'PostgreSQL',
    what: 'every process reconnects; a message is taken only once it can be stored, or is stored later',
    downMs: 2000,
    of: (stack: FaultStack) => stack.postgres,
  },
])('$server restarted under load', ({ server, what, downMs, of }) => {
  // A replica of 3 slots behind 8 questions a second: a backlog of queued prompts builds up.
  const run = faultStack({
    name: `${server.toLowerCase()}-restart`,
    model: { ttftMs: 100, itlMs: 40, replyTokens: 12 },
    env: { CHORUS_WORKER_CONCURRENCY: '3' },
  })

  it(`loses nothing: ${what}`, async () => {
    const { stack, traffic } = run()
    const users = await Promise.all(Array.from({ length: 8 }, () => traffic.miniProgramUser()))
    const load = traffic.steady({ perSecond: 8, durationMs: 12_000, rooms: [`${server}-1`, `${server}-2`], users })
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const restartedAt = await restartServer(of(stack), downMs)
    const recoveryMs = await timeToRecovery(traffic, `${server}-probe`, restartedAt, { timeoutMs: recoveryWithinMs })
    await load

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report(`${server} restarted under load (down ${downMs / 1000} s)`, result, { recoveryMs })
    expectNothingLost(result, stack)
  })
})
