import { ApiRedisKeys } from '@chorus/api'
import { connectRedis } from '@chorus/redis'
import { encryptPush, messageSignature, pushSignature } from '@chorus/wechat-api'
import { MiniProgramClient } from './support/miniprogram-client.js'
import { sharedStack } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'
import { useWeChatStandIn } from './support/wechat-world.js'
import { pushJson, pushXml, securePush } from './support/wechat-push.js'

const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const pushKeys = { token: 'push-token', aesKey, appId: 'wx-test-app' }
const template = 'tmpl-agent-replied'
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

const env: Record<string, string> = { ...admin }
const standIn = useWeChatStandIn(env, {
  WECHAT_PUSH_TOKEN: 'push-token',
  WECHAT_PUSH_AES_KEY: aesKey,
  WECHAT_SUBSCRIBE_TEMPLATE_ID: template,
})

async function login(stackUrl: string, openid: string) {
  return MiniProgramClient.login(stackUrl, `ok:${openid}`)
}

describe('the mini-program API', () => {
  // Slow enough that a reply takes a few hundred milliseconds to write.
  const stack = sharedStack({ env, simulator: { ttftMs: 20, itlMs: 25, replyTokens: 16 } })

  it('logs in with a wx.login code and maps WeChat’s login errors to clear 4xx answers', async () => {
    const res = await fetch(`${stack().api.url}/mp/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'ok:o-login' }),
    })
    const body = (await res.json()) as { token: string; expiresIn: number }
    expect(res.status).toBe(200)
    expect(body.token.length).toBeGreaterThan(30)
    expect(body.expiresIn).toBe(7 * 24 * 3600)
    expect(JSON.stringify(body)).not.toContain('session-key')
    const user = await stack().database.db.endUser.findFirstOrThrow({ where: { platformId: 'o-login' } })
    expect(user).toMatchObject({ platform: 'wechat_mp', unionid: 'union-o-login' })

    for (const [code, status, errorCode] of [
      ['bad', 400, 'invalid_code'],
      ['ok:o-login', 400, 'invalid_code'], // a code works once
      ['limited', 429, 'rate_limited'],
      ['blocked', 403, 'blocked_user'],
      ['busy', 502, 'upstream_failed'],
    ] as const) {
      const failed = await fetch(`${stack().api.url}/mp/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      })
      expect([code, failed.status, ((await failed.json()) as { error: { code: string } }).error.code]).toEqual([code, status, errorCode])
    }
  })

  it('streams the reply: the first delta comes before the reply is complete, and the stored reply equals the deltas', async () => {
    const user = await login(stack().api.url, 'o-stream')
    const events = await user.stream('tell me about Hangzhou')
    const deltas = events.filter((e) => e.type === 'delta')
    const done = events.find((e) => e.type === 'done')!
    expect(deltas.length).toBeGreaterThan(3)
    expect(events.at(-1)!.type).toBe('done')
    // The first token reached the app well before the last one was written.
    expect(done.at - deltas[0]!.at).toBeGreaterThan(100)
    const reply = done.data.reply as { id: string; text: string }
    const stored = await stack().database.db.message.findUniqueOrThrow({ where: { id: BigInt(reply.id) } })
    expect(stored.text).toBe(deltas.map((d) => d.data.text).join(''))
    expect(stored.text).toBe(reply.text)
    expect(stored.replyToId).toBe(BigInt(String(done.data.messageId)))

    // Without Accept: text/event-stream, the same as one JSON answer; and both are in the history.
    const plain = await user.call<{ reply: { text: string } }>('POST', '/mp/v1/messages', { text: 'and West Lake?' })
    expect(plain.status).toBe(200)
    expect(plain.body.reply.text).toContain('[simulated]')
    const history = await user.call<{ messages: Array<{ role: string; text: string }> }>('GET', '/mp/v1/messages?limit=10')
    expect(history.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(history.body.messages[0]!.text).toBe('tell me about Hangzhou')
  })

  it('checks text with msg_sec_check: risky is refused with its label, review is answered and flagged', async () => {
    const user = await login(stack().api.url, 'o-check')
    const risky = await user.call<{ reply: { text: string; role: string } }>('POST', '/mp/v1/messages', { text: 'some RISKY words' })
    expect(risky.body.reply).toMatchObject({ role: 'system', text: '抱歉，这个问题我无法回答。' })
    const refused = await stack().database.db.message.findFirstOrThrow({ where: { text: 'some RISKY words' } })
    expect(refused.status).toBe('refused')
    expect(refused.meta).toMatchObject({ screening: { verdict: 'risky', label: 20001 } })

    const review = await user.call<{ reply: { text: string } }>('POST', '/mp/v1/messages', { text: 'please REVIEW this' })
    expect(review.body.reply.text).toContain('[simulated]')
    const flagged = await stack().database.db.message.findFirstOrThrow({ where: { text: 'please REVIEW this' } })
    expect(flagged).toMatchObject({ status: 'answered', meta: expect.objectContaining({ screening: { verdict: 'review', label: 21000 } }) })

    // The check itself failing does not stop the conversation (fail-open by default).
    const broken = await user.call<{ reply: { text: string } }>('POST', '/mp/v1/messages', { text: 'BROKEN checker' })
    expect(broken.status).toBe(200)
    expect(broken.body.reply.text).toContain('[simulated]')
  })

  it('lets a user read only their own messages; an expired or forged token gets 401', async () => {
    const alice = await login(stack().api.url, 'o-alice')
    const bob = await login(stack().api.url, 'o-bob')
    const sent = await alice.call<{ messageId: string }>('POST', '/mp/v1/messages', { text: 'my secret order number 12345' })
    expect((await alice.call('GET', `/mp/v1/messages/${sent.body.messageId}`)).status).toBe(200)
    expect((await bob.call('GET', `/mp/v1/messages/${sent.body.messageId}`)).status).toBe(404)
    const bobsHistory = await bob.call<{ messages: Array<{ text: string }> }>('GET', '/mp/v1/messages')
    expect(bobsHistory.body.messages.map((m) => m.text)).not.toContain('my secret order number 12345')

    expect((await alice.withToken('forged-token').call('GET', '/mp/v1/messages')).status).toBe(401)
    await stack().database.db.mpSession.updateMany({
      data: { expiresAt: new Date(Date.now() - 1000) },
      where: { endUser: { platformId: 'o-bob' } },
    })
    expect((await bob.call('GET', '/mp/v1/messages')).status).toBe(401)
    expect((await fetch(`${stack().api.url}/mp/v1/messages`)).status).toBe(401)
  })

  it('rejects empty and overlong text with a clear 400, storing nothing', async () => {
    const user = await login(stack().api.url, 'o-limits')
    expect((await user.call('POST', '/mp/v1/messages', { text: '   ' })).status).toBe(400)
    expect((await user.call('POST', '/mp/v1/messages', { text: 'x'.repeat(1001) })).status).toBe(400)
    expect(await stack().database.db.message.count({ where: { authorUser: { platformId: 'o-limits' } } })).toBe(0)
  })

  it('hands over to an agent; the agent’s reply reaches the app live, or by a subscription message when it is closed', async () => {
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await root.ok('POST', '/api/staff', { email: 'mia@example.com', displayName: 'Mia', password: 'agent-password-1', role: 'agent' }, 201)
    const mia = await StaffClient.login(stack().api.url, 'mia@example.com', 'agent-password-1')
    await mia.goOnline()

    const user = await login(stack().api.url, 'o-handoff')
    await user.call('POST', '/mp/v1/subscriptions', { templateId: template, accepted: true })
    const handoff = await user.call<{ reply: { text: string } }>('POST', '/mp/v1/handoff')
    expect(handoff.body.reply.text).toBe('已为你转接人工客服，请稍候，客服会在这里回复你。')
    const conversation = await waitFor(
      async () =>
        (await stack().database.db.conversation.findFirst({ where: { endUser: { platformId: 'o-handoff' }, state: 'agent' } })) ??
        undefined,
      10_000,
      'the conversation assigned to Mia',
    )

    // The app is open: the reply arrives on its live stream, and no notification is sent.
    const live = await user.openLive()
    await mia.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: '您好，我是客服小米。' }, 201)
    await waitFor(
      async () => live.received.some((e) => e.type === 'message' && e.data.text === '您好，我是客服小米。'),
      10_000,
      'the live reply',
    )
    expect(live.received.find((e) => e.data.text === '您好，我是客服小米。')!.data).toMatchObject({ role: 'agent', author: 'Mia' })
    expect(standIn().calls.filter((c) => c.path === '/cgi-bin/message/subscribe/send')).toHaveLength(0)

    // The app is closed: a subscription message (one grant, used once).
    live.close()
    const endUser = await stack().database.db.endUser.findFirstOrThrow({ where: { platformId: 'o-handoff' } })
    const redis = connectRedis(stack().env.REDIS_URL!, { name: 'test' })
    const onlineKey = new ApiRedisKeys(stack().redisPrefix).miniProgramOnline(endUser.id)
    await waitFor(async () => (await redis.exists(onlineKey)) === 0, 10_000, 'the app seen as closed')
    redis.disconnect()
    await mia.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: '退款已经处理好了' }, 201)
    const sent = await waitFor(
      async () => standIn().calls.find((c) => c.path === '/cgi-bin/message/subscribe/send'),
      10_000,
      'the subscription message',
    )
    expect(sent.body).toMatchObject({
      touser: 'o-handoff',
      template_id: template,
      data: { thing1: { value: 'Mia' }, thing2: { value: '退款已经处理好了' } },
    })
    await mia.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: '还有别的问题吗？' }, 201)
    const history = await user.call<{ messages: Array<{ text: string }> }>('GET', '/mp/v1/messages')
    expect(history.body.messages.map((m) => m.text)).toContain('还有别的问题吗？')
    // The one grant was used: no second notification.
    expect(standIn().calls.filter((c) => c.path === '/cgi-bin/message/subscribe/send')).toHaveLength(1)
    mia.goOffline()
  })
})

describe('customer-service message push', () => {
  const stack = sharedStack({ env })
  const signed = (query: Record<string, string>) => new URLSearchParams(query).toString()
  // A push is signed with the time it is sent; older ones are refused as replays.
  const now = () => String(Math.floor(Date.now() / 1000))

  it('answers the URL verification with a correct signature and refuses a forged one', async () => {
    const timestamp = now()
    const nonce = 'n1'
    const good = signed({ signature: pushSignature('push-token', timestamp, nonce), timestamp, nonce, echostr: 'echo-123' })
    const ok = await fetch(`${stack().api.url}/mp/v1/wechat/push?${good}`)
    expect([ok.status, await ok.text()]).toEqual([200, 'echo-123'])
    const forged = signed({ signature: pushSignature('wrong-token', timestamp, nonce), timestamp, nonce, echostr: 'echo-123' })
    const refused = await fetch(`${stack().api.url}/mp/v1/wechat/push?${forged}`)
    expect(refused.status).toBe(401)
    expect(await refused.text()).not.toContain('echo-123')
  })

  it('decrypts a secure-mode message, acknowledges it, answers with custom/send, and ignores its re-delivery', async () => {
    const inner = JSON.stringify({
      ToUserName: 'gh_app',
      FromUserName: 'o-kf',
      CreateTime: 1700000001,
      MsgType: 'text',
      Content: '我的快递到哪了？',
      MsgId: 987654321,
    })
    const encrypted = encryptPush(aesKey, inner, 'wx-test-app')
    const timestamp = now()
    const nonce = 'n2'
    const query = signed({
      encrypt_type: 'aes',
      msg_signature: messageSignature('push-token', timestamp, nonce, encrypted),
      timestamp,
      nonce,
    })
    const push = () =>
      fetch(`${stack().api.url}/mp/v1/wechat/push?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ToUserName: 'gh_app', Encrypt: encrypted }),
      })
    const first = await push()
    expect([first.status, await first.text()]).toEqual([200, 'success'])
    // WeChat retries when it thinks it timed out: the same MsgId again.
    const again = await push()
    expect([again.status, await again.text()]).toEqual([200, 'success'])

    const reply = await waitFor(
      async () => standIn().calls.find((c) => c.path === '/cgi-bin/message/custom/send'),
      10_000,
      'the custom/send reply',
    )
    expect(reply.body).toMatchObject({ touser: 'o-kf', msgtype: 'text', text: { content: expect.stringContaining('[simulated]') } })
    const stored = await stack().database.db.message.findMany({ where: { authorUser: { platformId: 'o-kf' } } })
    expect(stored.map((m) => [m.text, m.platformMessageId])).toEqual([['我的快递到哪了？', '987654321']])
    // Give a duplicate answer the time it would need, then make sure there is none.
    await waitFor(
      async () => (await stack().database.db.message.count({ where: { replyTo: { authorUser: { platformId: 'o-kf' } } } })) === 1,
      10_000,
      'one reply',
    )
    expect(standIn().calls.filter((c) => c.path === '/cgi-bin/message/custom/send')).toHaveLength(1)
  })

  it('answers two pushed JSON messages whose MsgIds differ only past 2^53, and a re-delivered one once', async () => {
    // As doubles both ids are 6172329932587289000: one would be taken for a re-delivery of the other.
    const ids = ['6172329932587288417', '6172329932587288418']
    expect(Number(ids[0])).toBe(Number(ids[1]))
    const post = (push: { query: string; body: string; contentType: string }) =>
      fetch(`${stack().api.url}/mp/v1/wechat/push?${push.query}`, {
        method: 'POST',
        headers: { 'content-type': push.contentType },
        body: push.body,
      })
    for (const [i, id] of ids.entries()) {
      const push = securePush(pushJson('o-64bit', id, `第${i + 1}个问题`), { ...pushKeys, nonce: `n64-${i}` })
      const answer = await post(push)
      expect([answer.status, await answer.text()]).toEqual([200, 'success'])
    }
    const again = await post(securePush(pushJson('o-64bit', ids[1]!, '第2个问题'), { ...pushKeys, nonce: 'n64-again' }))
    expect(again.status).toBe(200)
    const stored = await stack().database.db.message.findMany({ where: { authorUser: { platformId: 'o-64bit' } }, orderBy: { id: 'asc' } })
    expect(stored.map((m) => m.platformMessageId)).toEqual(ids)
    await waitFor(
      async () => standIn().calls.filter((c) => c.path === '/cgi-bin/message/custom/send' && c.body.touser === 'o-64bit').length === 2,
      10_000,
      'two replies',
    )
    await waitFor(
      async () =>
        (await stack().database.db.message.count({
          where: { replyTo: { authorUser: { platformId: 'o-64bit' } }, status: 'delivered' },
        })) === 2,
      10_000,
      'both replies delivered',
    )
    expect(standIn().calls.filter((c) => c.path === '/cgi-bin/message/custom/send' && c.body.touser === 'o-64bit')).toHaveLength(2)
  })

  it('refuses plaintext pushes once an AES key is set, and in compatible mode reads only the encrypted message', async () => {
    const timestamp = now()
    const plaintext = await fetch(
      `${stack().api.url}/mp/v1/wechat/push?${signed({ signature: pushSignature('push-token', timestamp, 'n-plain'), timestamp, nonce: 'n-plain' })}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: pushXml('o-downgrade', 701, 'plaintext with a valid signature'),
      },
    )
    expect(plaintext.status).toBe(401)
    expect(((await plaintext.json()) as { error: { code: string } }).error.code).toBe('encryption_required')
    // Compatible mode sends the fields in the clear beside Encrypt: only the encrypted ones count.
    const push = securePush(pushXml('o-compatible', 702, 'the encrypted question'), { ...pushKeys, nonce: 'n-compat', format: 'xml' })
    const tampered = push.body.replace(
      '<xml>',
      `<xml><FromUserName><![CDATA[o-downgrade]]></FromUserName><Content><![CDATA[injected]]></Content>`,
    )
    const answer = await fetch(`${stack().api.url}/mp/v1/wechat/push?${push.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: tampered,
    })
    expect(answer.status).toBe(200)
    const texts = async (openid: string) =>
      (await stack().database.db.message.findMany({ where: { authorUser: { platformId: openid } } })).map((m) => m.text)
    expect(await texts('o-compatible')).toEqual(['the encrypted question'])
    expect(await texts('o-downgrade')).toEqual([])
  })
})

describe('customer-service message push in plaintext mode (no AES key)', () => {
  const plainEnv: Record<string, string> = {}
  beforeAll(() => {
    const { WECHAT_PUSH_AES_KEY: _aes, ...rest } = env
    Object.assign(plainEnv, rest)
  })
  const stack = sharedStack({ env: plainEnv })

  it('reads plaintext XML pushes and refuses a forged signature on them before reading the body', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = 'n3'
    const xml = pushXml('o-xml', 555, 'hello in XML')
    const post = (signature: string, body = xml) =>
      fetch(`${stack().api.url}/mp/v1/wechat/push?${new URLSearchParams({ signature, timestamp, nonce })}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
      })
    expect((await post(pushSignature('forged', timestamp, nonce))).status).toBe(401)
    // Unparseable, but refused for its signature: the body was never read.
    const unread = await post(pushSignature('forged', timestamp, nonce), '<xml><a>' + ' '.repeat(60_000) + '</xml>')
    expect([unread.status, ((await unread.json()) as { error: { code: string } }).error.code]).toEqual([401, 'invalid_signature'])
    expect(await stack().database.db.message.count({ where: { authorUser: { platformId: 'o-xml' } } })).toBe(0)
    const ok = await post(pushSignature('push-token', timestamp, nonce))
    expect([ok.status, await ok.text()]).toEqual([200, 'success'])
    await waitFor(
      async () => standIn().calls.some((c) => c.path === '/cgi-bin/message/custom/send' && c.body.touser === 'o-xml'),
      10_000,
      'the reply to o-xml',
    )
  })
})
