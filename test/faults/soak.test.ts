import { percentile } from '../../bench/support.js'
import { audit } from './support/delivery-audit.js'
import { report } from './support/fault-report.js'
import { expectNothingLost, faultStack } from './support/fault-run.js'

const soakMs = 25_000
const perSecond = 30

describe(`a soak of mixed traffic (${perSecond}/s for ${soakMs / 1000} s)`, () => {
  const run = faultStack({ name: 'soak', workers: 2, model: { ttftMs: 50, itlMs: 10, replyTokens: 16 } })

  it('answers every question exactly once; its figures are reported, not judged', async () => {
    const { stack, traffic } = run()
    const users = await Promise.all(Array.from({ length: 24 }, () => traffic.miniProgramUser()))
    const started = Date.now()
    await traffic.steady({ perSecond, durationMs: soakMs, rooms: ['Soak-1', 'Soak-2', 'Soak-3', 'Soak-4'], users })
    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    // Per channel: how many were asked, and the p99 of their answers (acceptance to the answer seen).
    const byChannel = Object.fromEntries(
      (['group', 'private', 'miniprogram', 'v1'] as const).flatMap((channel) => {
        const asked = traffic.questions.filter((q) => q.channel === channel)
        const latencies = asked.flatMap((q) => {
          const first = traffic.answersTo(q)[0]
          return first?.kind === 'reply' && q.acceptedAt !== undefined ? [first.at - q.acceptedAt] : []
        })
        return [
          [channel, asked.length],
          [`${channel}P99Ms`, Math.round(percentile(latencies, 99))],
        ]
      }),
    )
    report(`soak ${soakMs / 1000} s`, result, { ...byChannel, wallMs: Date.now() - started })
    expectNothingLost(result, stack)
  })
})
