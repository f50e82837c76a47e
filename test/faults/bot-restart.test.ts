import { audit } from './support/delivery-audit.js'
import { report } from './support/fault-report.js'
import { crashAndRecover, expectNothingLost, faultStack } from './support/fault-run.js'
import { waitFor } from '../support/wait-for.js'

describe('the bot process killed (SIGKILL) with messages in flight and started again', () => {
  const run = faultStack({ name: 'bot-restart', model: { ttftMs: 300, itlMs: 40, replyTokens: 12 } })

  it('loses nothing: messages it had not stored are re-delivered, replies it had not sent go out once', async () => {
    const { stack, traffic } = run()
    // A burst, and the bot dies while it is still taking the messages in: some stored and queued, some not yet.
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => traffic.group(`Burst-${i % 3}`)),
      ...Array.from({ length: 10 }, () => traffic.private()),
    ])
    const stored = await waitFor(
      async () => {
        const count = await stack.db.message.count({ where: { role: 'user' } })
        return count >= 8 && count
      },
      15_000,
      'the bot to have stored some of the burst',
    )
    // Replies to what it did take are written while it is down; they wait in its outbox.
    const recoveryMs = await crashAndRecover(traffic, stack.bot, 1500, 'Burst-probe')

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report('bot SIGKILL with messages in flight, restarted after 1.5 s', result, { recoveryMs, storedBeforeKill: stored })
    expectNothingLost(result, stack)
    expect(result.accepted).toBe(traffic.questions.length)
  })
})

describe('the bot process killed (SIGKILL) while it is sending replies, and started again', () => {
  // The bot paces what it sends as in production (a random wait of up to 600 ms before each message).
  const run = faultStack({
    name: 'bot-sending',
    model: { ttftMs: 50, itlMs: 10, replyTokens: 12 },
    botSettings: { outgoing: { jitterMs: 600, perGroupPerMinute: 6000, perAccountPerMinute: 6000 } },
  })

  it('loses nothing: a reply is claimed only when it is about to be sent, so what it had not sent goes out after the restart', async () => {
    const { stack, traffic } = run()
    const load = traffic.steady({ perSecond: 8, durationMs: 8000, rooms: ['Send-1', 'Send-2'], users: [], mix: ['group', 'private'] })
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const recoveryMs = await crashAndRecover(traffic, stack.bot, 1000, 'Send-probe')
    await load

    const result = await audit(traffic, stack.db, { timeoutMs: 60_000 })
    report('bot SIGKILL while sending (paced), restarted after 1 s', result, { recoveryMs })
    expectNothingLost(result, stack)
  })
})
