import { ConversationKeys } from '@chorus/conversation'
import { connectRedis } from '@chorus/redis'
import { sharedStack } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'
import { pushXml, securePush } from './support/wechat-push.js'
import { useWeChatStandIn } from './support/wechat-world.js'

// Replies to WeChat customer-service chats (custom/send) under WeChat's rules: what WeChat
// refuses for good is tried once and shown as undeliverable; no more than 5 messages go out
// since the user last wrote; long replies go out in parts of at most 2,048 bytes.

const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const pushKeys = { token: 'push-token', aesKey, appId: 'wx-test-app' }
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

const env: Record<string, string> = { ...admin }
const standIn = useWeChatStandIn(env, { WECHAT_PUSH_TOKEN: 'push-token', WECHAT_PUSH_AES_KEY: aesKey })

describe('customer-service sends', () => {
  const stack = sharedStack({ env })
  const db = () => stack().database.db
  let nonce = 0
  let msgId = 9_000_000_000_000_000_000n
  let staff: StaffClient

  beforeAll(async () => {
    staff = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
  })

  /** The user `openid` writes `text` to the customer-service chat. */
  async function userWrites(openid: string, text: string): Promise<void> {
    const push = securePush(pushXml(openid, String(++msgId), text), { ...pushKeys, nonce: `n-${++nonce}`, format: 'xml' })
    const answer = await fetch(`${stack().api.url}/mp/v1/wechat/push?${push.query}`, {
      method: 'POST',
      headers: { 'content-type': push.contentType },
      body: push.body,
    })
    expect(await answer.text()).toBe('success')
  }
  const sendsTo = (openid: string) => standIn().calls.filter((c) => c.path === '/cgi-bin/message/custom/send' && c.body.touser === openid)
  const repliesTo = (openid: string) =>
    db().message.findMany({
      where: { channel: { externalId: `kf:${openid}` }, role: { in: ['assistant', 'agent', 'system'] } },
      orderBy: { id: 'asc' },
    })
  const conversationOf = async (openid: string) =>
    (await db().conversation.findFirstOrThrow({ where: { channel: { externalId: `kf:${openid}` } } })).id
  const pendingSends = async () => {
    const redis = connectRedis(stack().env.REDIS_URL!)
    try {
      return Number(((await redis.xpending(new ConversationKeys(stack().redisPrefix).outbox('miniprogram'), 'delivery')) as [number])[0])
    } finally {
      redis.disconnect()
    }
  }

  it('tries a reply WeChat refuses with 45015 once, then shows it undeliverable to agents and in the audit', async () => {
    await userWrites('o-expired-1', '还能回复我吗？')
    const [reply] = await waitFor(
      async () => {
        const replies = await repliesTo('o-expired-1')
        return replies[0]?.status === 'undeliverable' && replies
      },
      10_000,
      'the reply marked undeliverable',
    )
    expect(reply!.meta).toMatchObject({ delivery: { reason: 'reply_window_closed', errcode: 45015, attempts: 1 } })
    // Nothing is left to retry: the outbox holds no pending send, and WeChat was asked once.
    await waitFor(async () => (await pendingSends()) === 0, 5_000, 'no send left pending')
    expect(sendsTo('o-expired-1')).toHaveLength(1)

    const { conversation } = await staff.ok<{
      conversation: { messages: Array<{ id: string; status: string; undeliverable: string | null }> }
    }>('GET', `/api/conversations/${await conversationOf('o-expired-1')}`)
    expect(conversation.messages.find((m) => m.id === String(reply!.id))).toMatchObject({
      status: 'undeliverable',
      undeliverable: 'reply_window_closed',
    })
    const audit = await staff.ok<{ entries: Array<{ action: string; target: { id: string }; data: Record<string, unknown> }> }>(
      'GET',
      `/api/audit?action=message.undeliverable`,
    )
    expect(audit.entries).toContainEqual(
      expect.objectContaining({
        action: 'message.undeliverable',
        target: expect.objectContaining({ id: String(reply!.id) }),
        data: expect.objectContaining({ reason: 'reply_window_closed', errcode: 45015 }),
      }),
    )
  })

  it('sends at most 5 messages since the user last wrote: the sixth is undeliverable and never sent', async () => {
    await userWrites('o-chatty', '你好')
    await waitFor(async () => sendsTo('o-chatty').length === 1, 10_000, 'the bot’s reply')
    const conversationId = await conversationOf('o-chatty')
    // Claiming tells the user an agent joined: the second message since they wrote.
    await staff.ok('POST', `/api/conversations/${conversationId}/claim`)
    for (let i = 1; i <= 4; i++) await staff.ok('POST', `/api/conversations/${conversationId}/messages`, { text: `第${i}条回复` }, 201)
    // A claimed reply reads `delivered` while it is being sent: wait for the sixth to be refused.
    const replies = await waitFor(
      async () => {
        const all = await repliesTo('o-chatty')
        return all[5]?.status === 'undeliverable' && all
      },
      10_000,
      'the sixth reply refused',
    )
    expect(replies.map((m) => [m.role, m.status])).toEqual([
      ['assistant', 'delivered'],
      ['system', 'delivered'],
      ['agent', 'delivered'],
      ['agent', 'delivered'],
      ['agent', 'delivered'],
      ['agent', 'undeliverable'],
    ])
    expect(replies[5]!.meta).toMatchObject({ delivery: { reason: 'reply_limit_reached' } })
    expect(sendsTo('o-chatty')).toHaveLength(5)

    // Once the user writes again, the window opens again.
    await userWrites('o-chatty', '在吗？')
    await staff.ok('POST', `/api/conversations/${conversationId}/messages`, { text: '在的' }, 201)
    await waitFor(async () => sendsTo('o-chatty').length === 6, 10_000, 'the reply after the user wrote again')
  })

  it('sends a long reply in parts of at most 2,048 bytes, counted against the window', async () => {
    await userWrites('o-long', '请详细介绍一下')
    await waitFor(async () => sendsTo('o-long').length === 1, 10_000, 'the bot’s reply')
    const conversationId = await conversationOf('o-long')
    await staff.ok('POST', `/api/conversations/${conversationId}/claim`)
    const long = '西湖十景。'.repeat(300)
    await staff.ok('POST', `/api/conversations/${conversationId}/messages`, { text: long }, 201)
    await waitFor(
      async () => ((await repliesTo('o-long'))[2]?.meta as { sentParts?: number } | undefined)?.sentParts === 3,
      10_000,
      'the long reply sent',
    )
    // The bot's reply and the notice that an agent joined came first.
    const parts = sendsTo('o-long')
      .slice(2)
      .map((c) => (c.body.text as { content: string }).content)
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048)
    expect(parts.map((p) => p.replace(/\n\(\d+\/\d+\)(\n—— .*)?$/s, '')).join('')).toContain('西湖十景。'.repeat(100))
    expect(parts).toHaveLength(3)
    expect((await repliesTo('o-long'))[2]!.meta).toMatchObject({ sentParts: 3 })
  })

  it('marks a reply to a user who is not a follower (43004) undeliverable after one try', async () => {
    await userWrites('o-unfollowed-1', '你好')
    await waitFor(async () => (await repliesTo('o-unfollowed-1'))[0]?.status === 'undeliverable', 10_000, 'the refused reply')
    expect((await repliesTo('o-unfollowed-1'))[0]!.meta).toMatchObject({ delivery: { reason: 'not_a_follower', errcode: 43004 } })
    expect(sendsTo('o-unfollowed-1')).toHaveLength(1)
  })

  it('checks what a customer-service user writes: risky text is stored, refused with a notice, and never reaches the model', async () => {
    await userWrites('o-risky', '请帮我看看 RISKY 的内容')
    const inbound = await waitFor(
      async () =>
        (await db().message.findFirst({ where: { channel: { externalId: 'kf:o-risky' }, role: 'user', status: 'refused' } })) ?? undefined,
      10_000,
      'the refused message',
    )
    expect(inbound.meta).toMatchObject({ screening: { verdict: 'risky', label: 20001 } })
    await waitFor(async () => sendsTo('o-risky').length === 1, 10_000, 'the refusal notice')
    expect((sendsTo('o-risky')[0]!.body.text as { content: string }).content).not.toContain('[simulated]')
    expect(standIn().calls.some((c) => c.path === '/wxa/msg_sec_check' && c.body.openid === 'o-risky')).toBe(true)
  })
})
