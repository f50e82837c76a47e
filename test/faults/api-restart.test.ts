import { audit } from './support/delivery-audit.js'
import { report } from './support/fault-report.js'
import { crashAndRecover, expectNothingLost, faultStack } from './support/fault-run.js'
import { waitFor } from '../support/wait-for.js'

describe('the API process killed (SIGKILL) mid-stream and started again', () => {
  // Replies take about 2 s to stream, so the API dies in the middle of them.
  const run = faultStack({ name: 'api-restart', model: { ttftMs: 50, itlMs: 100, replyTokens: 20 } })

  it('loses nothing: mini-program users asking again get the one stored reply, /v1 streams fail clearly, WeChat goes on', async () => {
    const { stack, traffic } = run()
    const users = await Promise.all(Array.from({ length: 6 }, () => traffic.miniProgramUser()))
    const asked = [
      ...users.map((user) => traffic.miniProgram(user)),
      ...Array.from({ length: 3 }, () => traffic.v1()),
      ...Array.from({ length: 8 }, () => traffic.group('Restart')),
      ...Array.from({ length: 4 }, () => traffic.private()),
    ]
    // Mid-stream: the model is writing the streamed answers.
    await waitFor(async () => stack.models[0]!.replica.inFlight >= 6, 15_000, 'the answers to be streaming')
    const recoveryMs = await crashAndRecover(traffic, stack.api, 1000, 'Restart-probe')
    await Promise.all(asked)

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report('API SIGKILL mid-stream, restarted after 1 s', result, { recoveryMs })
    expectNothingLost(result, stack)
    // Every question was taken in the end: what the dead API refused was asked again.
    expect(result.accepted).toBe(traffic.questions.length)
    // Mini-program users got their reply; only /v1 streams cut by the crash may have failed (clearly).
    const failed = traffic.questions.filter((q) => traffic.answersTo(q)[0]?.kind === 'failure')
    expect(failed.every((q) => q.channel === 'v1')).toBe(true)
  })
})
