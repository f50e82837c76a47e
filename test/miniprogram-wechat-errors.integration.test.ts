import { MiniProgramClient } from './support/miniprogram-client.js'
import { sharedStack } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'
import { useWeChatStandIn } from './support/wechat-world.js'

const template = 'tmpl-agent-replied'
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

const env: Record<string, string> = { ...admin }
const standIn = useWeChatStandIn(env, { WECHAT_SUBSCRIBE_TEMPLATE_ID: template, WECHAT_CONTENT_CHECK: 'fail-closed' })

describe('the mini-program when WeChat answers with an errcode', () => {
  const stack = sharedStack({ env })
  let mia: StaffClient

  beforeAll(async () => {
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    await root.ok('POST', '/api/staff', { email: 'mia@example.com', displayName: 'Mia', password: 'agent-password-1', role: 'agent' }, 201)
    mia = await StaffClient.login(stack().api.url, 'mia@example.com', 'agent-password-1')
    await mia.goOnline()
  })

  afterAll(() => {
    mia?.goOffline()
  })

  /** A user who granted `grants` notifications and whose conversation Mia took over; the app stays closed. */
  async function handedOver(openid: string, grants: number) {
    const user = await MiniProgramClient.login(stack().api.url, `ok:${openid}`)
    for (let i = 0; i < grants; i++) await user.call('POST', '/mp/v1/subscriptions', { templateId: template, accepted: true })
    await user.call('POST', '/mp/v1/handoff')
    const conversation = await waitFor(
      async () =>
        (await stack().database.db.conversation.findFirst({ where: { endUser: { platformId: openid }, state: 'agent' } })) ?? undefined,
      10_000,
      `the conversation of ${openid} assigned to Mia`,
    )
    return { user, conversationId: conversation.id }
  }

  const notificationsTo = (openid: string) =>
    standIn().calls.filter((c) => c.path === '/cgi-bin/message/subscribe/send' && c.body.touser === openid)

  async function remainingGrants(user: MiniProgramClient): Promise<number> {
    const res = await user.call<{ remaining: number }>('POST', '/mp/v1/subscriptions', { templateId: template, accepted: false })
    return res.body.remaining
  }

  it('tells the client to call wx.login again when the code was used already (40163)', async () => {
    const res = await fetch(`${stack().api.url}/mp/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'used' }),
    })
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect([res.status, body.error.code]).toEqual([400, 'code_used'])
    expect(body.error.message).toContain('wx.login')
  })

  it('answers a user WeChat cannot check (61010) under fail-closed, recording the text as unchecked', async () => {
    const user = await MiniProgramClient.login(stack().api.url, 'ok:o-inactive')
    const answered = await user.call<{ reply: { text: string } }>('POST', '/mp/v1/messages', {
      text: 'INACTIVE: when does West Lake open?',
    })
    expect(answered.status).toBe(200)
    expect(answered.body.reply.text).toContain('[simulated]')
    const stored = await stack().database.db.message.findFirstOrThrow({ where: { text: 'INACTIVE: when does West Lake open?' } })
    expect(stored).toMatchObject({
      status: 'answered',
      meta: expect.objectContaining({ screening: { verdict: 'pass', label: -1, unchecked: 'user_inactive' } }),
    })

    // The policy is fail-closed: a check that fails still refuses the text.
    const broken = await user.call<{ reply: { text: string; role: string } }>('POST', '/mp/v1/messages', { text: 'BROKEN checker' })
    expect(broken.body.reply).toMatchObject({ role: 'system', text: '抱歉，这个问题我无法回答。' })
  })

  it('keeps the grant when a subscription message fails for a moment (-1), and uses it for the next reply', async () => {
    const { user, conversationId } = await handedOver('o-busy', 1)
    standIn().failNextSubscribeSend('o-busy', -1)
    await mia.ok('POST', `/api/conversations/${conversationId}/messages`, { text: '退款已经处理好了' }, 201)
    await waitFor(async () => notificationsTo('o-busy').length === 1, 10_000, 'the failed subscription message')
    await waitFor(async () => (await remainingGrants(user)) === 1, 10_000, 'the grant given back')

    await mia.ok('POST', `/api/conversations/${conversationId}/messages`, { text: '还有别的问题吗？' }, 201)
    const sent = await waitFor(async () => notificationsTo('o-busy')[1], 10_000, 'the second subscription message')
    expect(sent.body).toMatchObject({ template_id: template, data: { thing2: { value: '还有别的问题吗？' } } })
    await waitFor(async () => (await remainingGrants(user)) === 0, 10_000, 'the grant used')
  })

  it('stops notifying a user who refused the template (43101) until they accept it again', async () => {
    const { user, conversationId } = await handedOver('o-refuses', 2)
    standIn().failNextSubscribeSend('o-refuses', 43101)
    await mia.ok('POST', `/api/conversations/${conversationId}/messages`, { text: '退款已经处理好了' }, 201)
    await waitFor(async () => notificationsTo('o-refuses').length === 1, 10_000, 'the refused subscription message')
    // Both grants are gone: WeChat would refuse them as well.
    await waitFor(async () => (await remainingGrants(user)) === 0, 10_000, 'the grants cleared')

    // Accepting again (wx.requestSubscribeMessage) makes the next reply a notification again.
    await user.call('POST', '/mp/v1/subscriptions', { templateId: template, accepted: true })
    await mia.ok('POST', `/api/conversations/${conversationId}/messages`, { text: '还有别的问题吗？' }, 201)
    const sent = await waitFor(async () => notificationsTo('o-refuses')[1], 10_000, 'the notification after accepting again')
    expect(sent.body).toMatchObject({ data: { thing2: { value: '还有别的问题吗？' } } })
    expect(notificationsTo('o-refuses')).toHaveLength(2)
  })
})
