import { audit } from './support/delivery-audit.js'
import { report } from './support/fault-report.js'
import { crashAndRecover, expectNothingLost, faultStack } from './support/fault-run.js'
import { waitFor } from '../support/wait-for.js'

describe('a pool worker killed (SIGKILL) mid-generation', () => {
  // Two replicas; replies slow enough (about 2 s) that the killed worker is surely mid-generation.
  const run = faultStack({ name: 'worker-crash', workers: 2, model: { ttftMs: 50, itlMs: 100, replyTokens: 20 } })

  it('loses nothing: its prompts are answered once by the other worker, and new ones are answered within seconds', async () => {
    const { stack, traffic } = run()
    const users = await Promise.all([1, 2, 3].map(() => traffic.miniProgramUser()))
    const asked = [
      ...Array.from({ length: 12 }, () => traffic.group('Crash')),
      ...Array.from({ length: 6 }, () => traffic.private()),
      ...users.map((user) => traffic.miniProgram(user)),
      ...Array.from({ length: 3 }, () => traffic.v1()),
    ]
    await waitFor(async () => stack.models[0]!.replica.inFlight >= 2, 15_000, 'the first worker to be generating')
    const recoveryMs = await crashAndRecover(traffic, stack.workers[0]!, 1000, 'Crash-probe')
    await Promise.all(asked)

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report('worker SIGKILL mid-generation', result, { recoveryMs })
    expectNothingLost(result, stack)
    expect(result.accepted).toBe(traffic.questions.length)
  })
})
