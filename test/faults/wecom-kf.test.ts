import { randomBytes } from 'node:crypto'
import { restartServer, faultStack } from './support/fault-run.js'
import { waitFor } from '../support/wait-for.js'
import { kfNotificationXml, weComCallback, weComCorp, WeComStandIn, weComEnv } from '../support/wecom-stand-in.js'

// WeCom customer service (docs/wecom.md) under faults: the API killed (SIGKILL) between pulling a
// page of messages and storing it, and Redis restarted with everything in it lost. WeCom notifies
// again as it does when it hears no `success`; every customer's message is stored once and
// answered once.

const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const keys = { token: 'kf-fault-token', aesKey, corpId: weComCorp.corpId }
const account = 'wk-faults'

const env: Record<string, string> = {}
let wecom: WeComStandIn
beforeAll(async () => {
  wecom = await WeComStandIn.start()
  Object.assign(env, weComEnv(wecom, keys))
})
afterAll(async () => {
  await wecom?.close()
})

describe('WeCom customer service under faults', () => {
  // Answers take about 1.5 s to write, so Redis goes down while they are being written and sent.
  const run = faultStack({ name: 'wecom-kf', env, model: { ttftMs: 300, itlMs: 100, replyTokens: 12 } })
  let nonce = 0

  /** WeCom's notification for `token`; resolves with the answer, or null when the connection died. */
  async function notify(token: string): Promise<string | null> {
    const callback = weComCallback(kfNotificationXml(weComCorp.corpId, account, token), keys, `f-${++nonce}`)
    try {
      const res = await fetch(`${run().stack.apiUrl}/wecom/kf/callback?${callback.query}`, { method: 'POST', body: callback.body })
      return await res.text()
    } catch {
      return null
    }
  }

  /** Notifies as WeCom does until it hears `success`. */
  const notifyUntilSuccess = (token: string) => waitFor(async () => (await notify(token)) === 'success', 60_000, 'WeCom to hear success')

  const questionsOf = (customers: string[]) =>
    run().stack.db.message.findMany({
      where: { role: 'user', channel: { kind: 'wecom_kf', externalId: { in: customers.map((c) => `${account}/${c}`) } } },
    })

  /** Waits until each customer was sent exactly one answer, and stays so while every reply is settled. */
  async function expectEachAnsweredOnce(customers: string[]): Promise<void> {
    await waitFor(async () => customers.every((c) => wecom.sentTo(c).length >= 1), 60_000, 'every customer answered')
    await waitFor(
      async () =>
        (await run().stack.db.message.count({
          where: { role: 'assistant', status: { notIn: ['delivered', 'undeliverable'] }, channel: { kind: 'wecom_kf' } },
        })) === 0,
      30_000,
      'every reply settled',
    )
    expect(customers.map((c) => wecom.sentTo(c).length)).toEqual(customers.map(() => 1))
  }

  it('loses nothing when the API is killed between pulling a page and storing it', async () => {
    const { stack } = run()
    const customers = Array.from({ length: 6 }, () => `wm-kill-${randomBytes(3).toString('hex')}`)
    let token = ''
    for (const [i, customer] of customers.entries()) token = wecom.customerWrites(account, customer, `第${i + 1}个问题`)
    // The moment WeCom's answer is out, the API dies: the page is pulled, not stored.
    let killed: Promise<void> | undefined
    wecom.onSyncAnswered = () => {
      wecom.onSyncAnswered = undefined
      killed = stack.api.kill('SIGKILL')
    }
    expect(await notify(token)).not.toBe('success')
    await killed
    expect((await questionsOf(customers)).length).toBeLessThan(customers.length)
    await stack.api.start()
    await stack.healthy(30_000)

    await notifyUntilSuccess(token)
    expect((await questionsOf(customers)).map((m) => m.text).sort()).toEqual(customers.map((_, i) => `第${i + 1}个问题`).sort())
    await expectEachAnsweredOnce(customers)
    // The same notification again (WeCom's retry) pulls from the saved cursor: nothing new, nothing sent.
    await notifyUntilSuccess(token)
    expect(await questionsOf(customers)).toHaveLength(customers.length)
    expect(customers.map((c) => wecom.sentTo(c).length)).toEqual(customers.map(() => 1))
    expect(stack.crashes).toEqual([])
  })

  it('loses nothing when Redis restarts with replies on their way', async () => {
    const { stack } = run()
    const before = Array.from({ length: 4 }, () => `wm-redis-${randomBytes(3).toString('hex')}`)
    let token = ''
    for (const customer of before) token = wecom.customerWrites(account, customer, '重启前的问题')
    await notifyUntilSuccess(token)
    // Redis goes away (and comes back empty) while those are being answered.
    expect(before.some((c) => wecom.sentTo(c).length > 0)).toBe(false)
    await restartServer(stack.redis, 1000)
    const after = Array.from({ length: 4 }, () => `wm-redis-${randomBytes(3).toString('hex')}`)
    for (const customer of after) token = wecom.customerWrites(account, customer, '重启后的问题')
    await notifyUntilSuccess(token)

    expect(await questionsOf([...before, ...after])).toHaveLength(8)
    await expectEachAnsweredOnce([...before, ...after])
    expect(stack.crashes).toEqual([])
  })
})
