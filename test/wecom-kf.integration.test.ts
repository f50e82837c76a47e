import { randomBytes } from 'node:crypto'
import { pino } from 'pino'
import { apiConfigSchema, startApi } from '@chorus/api'
import { parseEnv } from '@chorus/config'
import { encryptPush, messageSignature } from '@chorus/wechat-api'
import { botSettings } from '@chorus/protocol'
import { sharedStack, unpaced } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'
import { kfNotificationXml, weComCallback, weComCorp, WeComStandIn, weComEnv } from './support/wecom-stand-in.js'

// WeCom customer service (微信客服, docs/wecom.md) against a local stand-in of WeCom's API:
// the callback's verification and signatures, pulling with the notification's token and the
// saved cursor, answering once, servicers, WeCom's refusals, the welcome message.

const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const keys = { token: 'kf-callback-token', aesKey, corpId: weComCorp.corpId }
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const account = 'wk-test-account'

const env: Record<string, string> = { ...admin }
let wecom: WeComStandIn
beforeAll(async () => {
  wecom = await WeComStandIn.start()
  Object.assign(env, weComEnv(wecom, keys))
})
afterAll(async () => {
  await wecom.close()
})

describe('WeCom customer service', () => {
  const stack = sharedStack({ env })
  const db = () => stack().database.db
  let nonce = 0
  let staff: StaffClient

  beforeAll(async () => {
    staff = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
  })

  /** WeCom posts the `kf_msg_or_event` notification carrying `token` to `baseUrl`'s callback. */
  async function notify(token: string, baseUrl = stack().api.url, openKfId = account): Promise<Response> {
    const callback = weComCallback(kfNotificationXml(weComCorp.corpId, openKfId, token), keys, `n-${++nonce}`)
    return fetch(`${baseUrl}/wecom/kf/callback?${callback.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: callback.body,
    })
  }
  const notifyOk = async (token: string, openKfId = account) =>
    expect(await (await notify(token, stack().api.url, openKfId)).text()).toBe('success')
  const stored = (customer: string, openKfId = account) =>
    db().message.findMany({ where: { channel: { kind: 'wecom_kf', externalId: `${openKfId}/${customer}` } }, orderBy: { id: 'asc' } })
  const sentTexts = (customer: string) => wecom.sentTo(customer).map((body) => (body.text as { content: string } | undefined)?.content)
  const customer = () => `wm-${randomBytes(4).toString('hex')}`

  it('answers URL verification with the decrypted echostr, and refuses one whose signature is forged', async () => {
    const echo = encryptPush(aesKey, 'echo-1234567890', weComCorp.corpId)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const query = (signature: string) => new URLSearchParams({ msg_signature: signature, timestamp, nonce: 'v1', echostr: echo }).toString()

    const verified = await fetch(`${stack().api.url}/wecom/kf/callback?${query(messageSignature(keys.token, timestamp, 'v1', echo))}`)
    expect(verified.status).toBe(200)
    expect(await verified.text()).toBe('echo-1234567890')
    const forged = await fetch(`${stack().api.url}/wecom/kf/callback?${query(messageSignature('not-the-token', timestamp, 'v1', echo))}`)
    expect(forged.status).toBe(401)
  })

  it('refuses a notification with a forged signature before parsing it, and hostile XML even when signed, quickly', async () => {
    const syncsBefore = wecom.callsTo('/cgi-bin/kf/sync_msg').length
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xml><Encrypt>&lol9;</Encrypt></xml>`
    const forged = weComCallback('<xml/>', { ...keys, token: 'forged' }, 'f-1')
    const started = Date.now()
    const refused = await fetch(`${stack().api.url}/wecom/kf/callback?${forged.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: forged.body.replace('</xml>', `${laughs}</xml>`),
    })
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_signature')

    // Correctly signed and encrypted, but the message inside is an entity bomb: refused by the parser.
    const signedBomb = weComCallback(laughs, keys, 'f-2')
    const bomb = await fetch(`${stack().api.url}/wecom/kf/callback?${signedBomb.query}`, { method: 'POST', body: signedBomb.body })
    expect(bomb.status).toBe(400)
    // Larger than any WeCom message: refused without being read whole.
    const huge = weComCallback('<xml/>', keys, 'f-3')
    const tooLarge = await fetch(`${stack().api.url}/wecom/kf/callback?${huge.query}`, { method: 'POST', body: 'x'.repeat(2_000_000) })
    expect(tooLarge.status).toBe(413)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(wecom.callsTo('/cgi-bin/kf/sync_msg')).toHaveLength(syncsBefore)
  })

  it('pulls with the notification’s token, stores the message, moves the session to the assistant and answers once; the same notification again sends nothing and passes the saved cursor', async () => {
    const alice = customer()
    const token = wecom.customerWrites(account, alice, '你们几点开门？')
    await notifyOk(token)
    // Stored before WeCom heard "success".
    const [question] = await stored(alice)
    expect(question).toMatchObject({ role: 'user', text: '你们几点开门？' })
    const firstSync = wecom.callsTo('/cgi-bin/kf/sync_msg').at(-1)!
    expect(firstSync).toMatchObject({ token, open_kfid: account })
    expect(wecom.states.get(`${account}/${alice}`)).toBe(1)

    await waitFor(async () => sentTexts(alice).length === 1, 10_000, 'the answer')
    expect(sentTexts(alice)[0]).toContain('[simulated]')
    const saved = await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: account } })
    expect(saved.cursor).toBeTruthy()
    expect(saved.lastSyncAt).not.toBeNull()

    await notifyOk(token)
    expect(wecom.callsTo('/cgi-bin/kf/sync_msg').at(-1)).toMatchObject({ token, cursor: saved.cursor })
    expect(await stored(alice)).toHaveLength(2)
    const reply = (await stored(alice))[1]!
    await waitFor(
      async () => (await db().message.findUniqueOrThrow({ where: { id: reply.id } })).status === 'delivered',
      5_000,
      'the reply delivered',
    )
    expect(sentTexts(alice)).toHaveLength(1)
  })

  it('stores a servicer’s message (origin 5) as an agent message and never answers a session WeCom’s servicers have', async () => {
    const bob = customer()
    wecom.states.set(`${account}/${bob}`, 3)
    wecom.customerWrites(account, bob, '我要投诉')
    await notifyOk(wecom.servicerWrites(account, bob, 'zhangsan', '您好，我是客服小张'))
    const messages = await stored(bob)
    expect(messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['user', '我要投诉', 'ignored'],
      ['agent', '您好，我是客服小张', 'delivered'],
    ])
    expect(messages[1]!.meta).toMatchObject({ wecom: { servicer: 'zhangsan' } })
    expect(wecom.sentTo(bob)).toHaveLength(0)
    expect(wecom.callsTo('/cgi-bin/kf/service_state/trans').filter((body) => body.external_userid === bob)).toHaveLength(0)
  })

  it('marks a reply WeCom refuses (95001: 5 messages sent; 45015: the window passed) undeliverable after one try', async () => {
    const carol = customer()
    const gone = `wm-gone-${randomBytes(3).toString('hex')}`
    const token = wecom.customerWrites(account, carol, '还在吗？')
    // Sent from WeCom itself since (by a servicer's client, say): Chorus's own count cannot know.
    wecom.spendReplies(account, carol)
    await notifyOk(token)
    await notifyOk(wecom.customerWrites(account, gone, '还在吗？'))
    for (const [who, reason, errcode] of [
      [carol, 'reply_limit_reached', 95001],
      [gone, 'reply_window_closed', 45015],
    ] as const) {
      const reply = await waitFor(
        async () => (await stored(who)).find((m) => m.role === 'assistant' && m.status === 'undeliverable'),
        10_000,
        `the reply to ${who} refused`,
      )
      expect(reply.meta).toMatchObject({ delivery: { reason, errcode, attempts: 1 } })
      expect(wecom.sentTo(who)).toHaveLength(1)
    }
  })

  it('sends an agent’s reply from the console by send_msg, split to fit, and marks one refused as the session left the assistant (95018) undeliverable', async () => {
    const dan = customer()
    await notifyOk(wecom.customerWrites(account, dan, '请详细介绍一下'))
    await waitFor(async () => sentTexts(dan).length === 1, 10_000, 'the bot’s answer')
    const conversation = await db().conversation.findFirstOrThrow({ where: { channel: { externalId: `${account}/${dan}` } } })
    await staff.ok('POST', `/api/conversations/${conversation.id}/claim`)
    await staff.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: '西湖十景。'.repeat(200) }, 201)
    await waitFor(async () => sentTexts(dan).length === 4, 10_000, 'the long reply in parts')
    const parts = sentTexts(dan).slice(2)
    for (const part of parts) expect(Buffer.byteLength(part!)).toBeLessThanOrEqual(2048)
    expect(parts.join('')).toContain('西湖十景。'.repeat(100))
    // Agents in the console answer while the session stays with the assistant.
    expect(wecom.states.get(`${account}/${dan}`)).toBe(1)

    wecom.states.set(`${account}/${dan}`, 3)
    await staff.ok('POST', `/api/conversations/${conversation.id}/messages`, { text: '还有别的问题吗？' }, 201)
    const refused = await waitFor(
      async () => (await stored(dan)).find((m) => m.role === 'agent' && m.status === 'undeliverable'),
      10_000,
      'the refused agent reply',
    )
    expect(refused.meta).toMatchObject({ delivery: { reason: 'session_not_with_assistant', errcode: 95018 } })
  })

  it('welcomes a customer who opens the chat, once, with the event’s welcome_code', async () => {
    const erin = customer()
    const before = wecom.callsTo('/cgi-bin/kf/send_msg_on_event').length
    const token = wecom.customerEnters(account, erin)
    await notifyOk(token)
    await notifyOk(token)
    const welcomes = wecom.callsTo('/cgi-bin/kf/send_msg_on_event')
    expect(welcomes).toHaveLength(before + 1)
    expect(welcomes.at(-1)).toMatchObject({ msgtype: 'text', code: expect.stringMatching(/^welcome-/) })
    const [welcome] = await stored(erin)
    expect(welcome).toMatchObject({ role: 'system', status: 'delivered', meta: { notice: 'welcome' } })
    expect((welcomes.at(-1)!.text as { content: string }).content).toBe(welcome!.text)
    expect((await stored(erin)).filter((m) => m.role === 'system')).toHaveLength(1)
  })

  it('pulls without the token when WeCom refuses it (95007), rather than losing the notification', async () => {
    const hal = customer()
    wecom.customerWrites(account, hal, '令牌过期了吗？')
    await notifyOk('ENC-expired-token')
    const [withToken, without] = wecom.callsTo('/cgi-bin/kf/sync_msg').slice(-2)
    expect(withToken).toMatchObject({ token: 'ENC-expired-token' })
    expect(without).not.toHaveProperty('token')
    expect((await stored(hal)).map((m) => m.text)).toContain('令牌过期了吗？')
  })

  it('loses nothing when a pull is cut off before its page is stored: the next notification resumes from the last stored page', async () => {
    const fay = customer()
    wecom.pageSize = 2
    try {
      wecom.customerWrites(account, fay, '第一个问题')
      wecom.customerWrites(account, fay, '第二个问题')
      const token = wecom.customerWrites(account, fay, '第三个问题')
      const savedBefore = (await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: account } })).cursor
      // The first page is stored and its cursor saved; the second never arrives.
      wecom.cutNextSyncAfter(1)
      const failed = await notify(token)
      expect(failed.status).toBeGreaterThanOrEqual(500)
      const account1 = await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: account } })
      expect(account1.cursor).not.toBe(savedBefore)
      expect(account1.lastError).toContain('no answer')

      // WeCom notifies again.
      await notifyOk(token)
      const questions = (await stored(fay)).filter((m) => m.role === 'user')
      expect(questions.map((m) => m.text)).toEqual(['第一个问题', '第二个问题', '第三个问题'])
      await waitFor(async () => sentTexts(fay).length >= 1, 10_000, 'the answers')
      const answered = await waitFor(
        async () => {
          const replies = (await stored(fay)).filter((m) => m.role === 'assistant')
          return replies.length >= 1 && replies.every((r) => r.status === 'delivered') && replies
        },
        10_000,
        'the replies delivered',
      )
      expect(sentTexts(fay)).toHaveLength(answered.length)
      expect((await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: account } })).lastError).toBeNull()
    } finally {
      wecom.pageSize = 1000
    }
  })

  it('handles a notification once when two API processes receive it at the same moment', async () => {
    const second = await startApi(parseEnv(apiConfigSchema, stack().env), pino({ level: 'silent' }), { host: '127.0.0.1' })
    try {
      const gus = customer()
      const token = wecom.customerWrites(account, gus, '同时到达')
      const answers = await Promise.all([notify(token), notify(token, second.url), notify(token)])
      expect(await Promise.all(answers.map((a) => a.text()))).toEqual(['success', 'success', 'success'])
      expect((await stored(gus)).filter((m) => m.role === 'user')).toHaveLength(1)
      await waitFor(async () => sentTexts(gus).length === 1, 10_000, 'the answer')
      const reply = (await stored(gus)).find((m) => m.role === 'assistant')!
      await waitFor(
        async () => (await db().message.findUniqueOrThrow({ where: { id: reply.id } })).status === 'delivered',
        5_000,
        'delivered',
      )
      expect(sentTexts(gus)).toHaveLength(1)
    } finally {
      await second.stop()
    }
  })

  it('takes a burst of notifications for one account (one per message, as WeCom sends them) without running out of database connections', async () => {
    const customers = Array.from({ length: 15 }, () => customer())
    const tokens = customers.map((c, i) => wecom.customerWrites(account, c, `第${i + 1}位客户`))
    const answers = await Promise.all(tokens.map(async (token) => (await notify(token)).text()))
    expect(answers).toEqual(tokens.map(() => 'success'))
    for (const c of customers) expect((await stored(c)).filter((m) => m.role === 'user')).toHaveLength(1)
    await waitFor(async () => customers.every((c) => sentTexts(c).length === 1), 15_000, 'every customer answered')
  }, 30_000)

  it('shows admins the channel’s status (token, last pull, last error) and links an account to a bot, audited', async () => {
    await notifyOk(wecom.customerWrites(account, customer(), '你好'))
    const status = await staff.ok<{
      configured: boolean
      token: { ok: boolean; error: string | null }
      accounts: Array<{ openKfId: string; botId: string | null; lastSyncAt: string | null; lastError: string | null }>
    }>('GET', '/api/wecom')
    expect(status).toMatchObject({ configured: true, token: { ok: true, error: null } })
    expect(status.accounts).toContainEqual(expect.objectContaining({ openKfId: account, botId: null, lastSyncAt: expect.any(String) }))

    const bot = await db().bot.findFirstOrThrow({ where: { name: 'Chorus' } })
    expect(await staff.ok('PATCH', '/api/wecom/accounts/wk-linked-early', { botId: bot.id })).toEqual({
      openKfId: 'wk-linked-early',
      botId: bot.id,
    })
    expect((await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: 'wk-linked-early' } })).botId).toBe(bot.id)
    expect((await staff.call('PATCH', '/api/wecom/accounts/wk-linked-early', { botId: 'no-such-bot' })).status).toBe(400)
    expect((await staff.call('PATCH', '/api/wecom/accounts/not%20an%20id', { botId: null })).status).toBe(400)
    const audit = await staff.ok<{ entries: Array<{ action: string; target: { id: string } }> }>(
      'GET',
      '/api/audit?action=wecom_account.link',
    )
    expect(audit.entries).toContainEqual(
      expect.objectContaining({ action: 'wecom_account.link', target: expect.objectContaining({ id: 'wk-linked-early' }) }),
    )
    await staff.ok('PATCH', '/api/wecom/accounts/wk-linked-early', { botId: null })
  })

  it('hands a conversation to WeCom’s servicers for a bot set that way (the session goes to their queue, the bot stays silent), and refuses an unlinked account when several bots could answer it', async () => {
    const servicersBot = await db().bot.create({
      data: { name: 'Servicers', settings: botSettings.parse({ ...unpaced, handoff: { keywords: ['转人工'], wecom: 'servicers' } }) },
    })
    const linked = 'wk-servicers'
    await db().wecomKfAccount.create({ data: { openKfId: linked, botId: servicersBot.id } })
    try {
      const ivy = customer()
      await notifyOk(wecom.customerWrites(linked, ivy, '转人工'), linked)
      expect(wecom.states.get(`${linked}/${ivy}`)).toBe(2)
      await notifyOk(wecom.customerWrites(linked, ivy, '还要等多久？'), linked)
      const messages = await stored(ivy, linked)
      expect(messages.map((m) => [m.role, m.status])).toEqual([
        ['user', 'delivered'],
        ['user', 'ignored'],
      ])
      expect((await db().conversation.findFirstOrThrow({ where: { channel: { externalId: `${linked}/${ivy}` } } })).botId).toBe(
        servicersBot.id,
      )
      expect(wecom.sentTo(ivy)).toHaveLength(0)

      const unlinked = await notify(wecom.customerWrites('wk-unlinked', customer(), '你好'), stack().api.url, 'wk-unlinked')
      expect(unlinked.status).toBe(503)
      expect((await db().wecomKfAccount.findUniqueOrThrow({ where: { openKfId: 'wk-unlinked' } })).lastError).toContain('link one')
    } finally {
      await db().bot.delete({ where: { id: servicersBot.id } })
    }
  })
})

describe('WeCom customer service: the bot’s “您是想问” as a menu', () => {
  // No model: the worker answers from the knowledge base alone, asking back when several entries fit.
  const menuEnv: Record<string, string> = {}
  beforeAll(() => {
    Object.assign(menuEnv, env, { CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' })
  })
  const stack = sharedStack({ env: menuEnv, botSettings: { ...unpaced, handoff: { failuresBeforeHandoff: 0 } } })
  const menuAccount = 'wk-menu'
  let nonce = 0

  beforeAll(async () => {
    const root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const botId = (await stack().database.db.bot.findFirstOrThrow()).id
    await root.uploadDemoFaq(botId)
  })

  const write = async (customer: string, text: string, menuId?: string) => {
    const token = wecom.customerWrites(menuAccount, customer, text, menuId)
    const callback = weComCallback(kfNotificationXml(weComCorp.corpId, menuAccount, token), keys, `m-${++nonce}`)
    const res = await fetch(`${stack().api.url}/wecom/kf/callback?${callback.query}`, { method: 'POST', body: callback.body })
    expect(await res.text()).toBe('success')
  }

  it('sends the choices as a clickable msgmenu, and a click answers with the chosen entry', async () => {
    // Workers read a bot's new knowledge within seconds: ask (as a new customer each time) until it is in use.
    let asker = ''
    const menu = await waitFor(
      async () => {
        if (asker && wecom.sentTo(asker).length === 0) return undefined
        const sent = asker ? wecom.sentTo(asker)[0] : undefined
        if (sent?.msgtype === 'msgmenu')
          return sent.msgmenu as {
            head_content: string
            list: Array<{ type: string; click: { id: string; content: string } }>
            tail_content: string
          }
        asker = `wm-menu-${randomBytes(3).toString('hex')}`
        await write(asker, '导游')
        return undefined
      },
      20_000,
      'the ask-back as a menu',
    )
    expect(menu.head_content).toBe('您是想问：')
    expect(menu.list.length).toBeGreaterThanOrEqual(2)
    expect(menu.list.map((item) => item.click.id)).toEqual(menu.list.map((_, i) => String(i + 1)))
    expect(menu.tail_content).toBe('请回复序号。')

    const [, second] = menu.list
    await write(asker, second!.click.content, second!.click.id)
    const answer = await waitFor(async () => wecom.sentTo(asker)[1], 10_000, 'the chosen entry’s answer')
    expect(answer.msgtype).toBe('text')
    expect((answer.text as { content: string }).content).not.toMatch(/^您是想问/)
    const stored = await stack().database.db.message.findMany({
      where: { channel: { externalId: `${menuAccount}/${asker}` }, role: 'user' },
      orderBy: { id: 'asc' },
    })
    expect(stored.at(-1)).toMatchObject({ text: '2', meta: { wecom: { menuId: '2', menuText: second!.click.content } } })
  })
})

describe('WeCom customer service: a failing bot set to hand over to WeCom’s servicers', () => {
  const failingEnv: Record<string, string> = {}
  beforeAll(() => {
    Object.assign(failingEnv, env)
  })
  const stack = sharedStack({ env: failingEnv, botSettings: { ...unpaced, handoff: { failuresBeforeHandoff: 1, wecom: 'servicers' } } })
  const failingAccount = 'wk-failing'
  let nonce = 0

  const write = async (customer: string, text: string) => {
    const token = wecom.customerWrites(failingAccount, customer, text)
    const callback = weComCallback(kfNotificationXml(weComCorp.corpId, failingAccount, token), keys, `x-${++nonce}`)
    const res = await fetch(`${stack().api.url}/wecom/kf/callback?${callback.query}`, { method: 'POST', body: callback.body })
    expect(await res.text()).toBe('success')
  }

  it('moves the session to WeCom’s servicers’ queue when the bot could not answer, then stays silent', async () => {
    // The model server goes away: the answer fails, and the pool worker hands the conversation over.
    await stack().simulator.close()
    const kim = `wm-${randomBytes(4).toString('hex')}`
    await write(kim, '我的退款到哪了？')
    await waitFor(async () => wecom.states.get(`${failingAccount}/${kim}`) === 2, 30_000, 'the session in the servicers’ queue')
    const conversation = await stack().database.db.conversation.findFirstOrThrow({
      where: { channel: { externalId: `${failingAccount}/${kim}` } },
    })
    // Chorus's own agents were not involved.
    expect(conversation.state).toBe('bot')
    await write(kim, '还在吗？')
    const latest = await stack().database.db.message.findFirstOrThrow({
      where: { channel: { externalId: `${failingAccount}/${kim}` }, role: 'user' },
      orderBy: { id: 'desc' },
    })
    expect(latest).toMatchObject({ text: '还在吗？', status: 'ignored' })
  })
})
