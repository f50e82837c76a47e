import { ContentCheck, MemoryTokenStore, WeChatApiError, WeChatClient } from '@chorus/wechat-api'
import { WeChatStandIn } from './support/wechat-stand-in.js'

let wechat: WeChatStandIn

beforeAll(async () => {
  wechat = await WeChatStandIn.start()
})

afterAll(async () => {
  await wechat.close()
})

const client = () =>
  new WeChatClient({ appId: 'wx-test-app', secret: 'wx-test-secret', apiBase: wechat.url, tokenStore: new MemoryTokenStore() })

async function errcodeOf(call: Promise<unknown>): Promise<number> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(WeChatApiError)
  return (error as WeChatApiError).errcode
}

describe('the WeChat client', () => {
  it('logs a user in with code2Session, never handing out the session_key', async () => {
    const session = await client().code2Session('ok:o-alice')
    expect(session).toEqual({ openid: 'o-alice', unionid: 'union-o-alice' })
    expect(JSON.stringify(session)).not.toContain('session-key')
  })

  it('raises WeChat errcodes as typed errors', async () => {
    expect(await errcodeOf(client().code2Session('bad'))).toBe(40029)
    expect(await errcodeOf(client().code2Session('limited'))).toBe(45011)
    expect(await errcodeOf(client().code2Session('blocked'))).toBe(40226)
    expect(await errcodeOf(client().code2Session('used'))).toBe(40163)
    // A code works once.
    await client().code2Session('ok:o-once')
    expect(await errcodeOf(client().code2Session('ok:o-once'))).toBe(40029)
  })

  it('raises an unreachable WeChat as errcode -1', async () => {
    const offline = new WeChatClient({ appId: 'a', secret: 's', apiBase: 'http://127.0.0.1:9', timeoutMs: 500 })
    expect(await errcodeOf(offline.code2Session('ok:x'))).toBe(-1)
  })

  it('refreshes a rejected access token once for twenty concurrent calls, and every call succeeds', async () => {
    const shared = client()
    await shared.msgSecCheck({ openid: 'o-alice', content: 'hello' })
    const before = wechat.count('/cgi-bin/stable_token')
    wechat.invalidateToken()
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => shared.msgSecCheck({ openid: 'o-alice', content: `hello ${i}` })),
    )
    expect(results.every((r) => r.suggest === 'pass')).toBe(true)
    expect(wechat.count('/cgi-bin/stable_token') - before).toBe(1)
  })

  it('refreshes the access token when WeChat calls it invalid (40014), and the call succeeds', async () => {
    const shared = client()
    await shared.msgSecCheck({ openid: 'o-alice', content: 'hello' })
    const before = wechat.count('/cgi-bin/stable_token')
    wechat.invalidateToken(40014)
    expect(await shared.msgSecCheck({ openid: 'o-alice', content: 'hello again' })).toMatchObject({ suggest: 'pass' })
    expect(wechat.count('/cgi-bin/stable_token') - before).toBe(1)
  })

  it('reports the content check verdicts with their labels', async () => {
    const c = client()
    expect(await c.msgSecCheck({ openid: 'o', content: 'nice weather' })).toMatchObject({ suggest: 'pass', label: 100 })
    expect(await c.msgSecCheck({ openid: 'o', content: 'RISKY words' })).toMatchObject({ suggest: 'risky', label: 20001 })
    expect(await c.msgSecCheck({ openid: 'o', content: 'REVIEW me' })).toMatchObject({ suggest: 'review', label: 21000 })
  })

  it('lets text through or refuses it when the check itself fails, by policy, without throwing', async () => {
    const failures: number[] = []
    const open = new ContentCheck(client(), 'fail-open', { onFailure: (e) => failures.push(e.errcode) })
    const closed = new ContentCheck(client(), 'fail-closed')
    expect(await open.check('o', 'BROKEN')).toEqual({ verdict: 'pass', label: -1, failed: true })
    expect(await closed.check('o', 'BROKEN')).toEqual({ verdict: 'risky', label: -1, failed: true })
    expect(failures).toEqual([-1])
  })

  it('checks long text in pieces of at most 2,500 characters, one call each, and refuses risky words after character 2,600', async () => {
    const check = new ContentCheck(client(), 'fail-closed')
    // WeChat refuses more than 2,500 characters in one call.
    expect(await errcodeOf(client().msgSecCheck({ openid: 'o', content: 'x'.repeat(2501) }))).toBe(47001)
    const text = `${'天气很好。'.repeat(520)}RISKY${'我们去西湖走走吧。'.repeat(100)}`
    expect(text.indexOf('RISKY')).toBe(2600)
    const first = wechat.calls.length
    expect(await check.check('o', text)).toEqual({ verdict: 'risky', label: 20001 })
    const sent = wechat.calls.slice(first).filter((c) => c.path === '/wxa/msg_sec_check')
    expect(sent.length).toBe(2)
    expect(sent.every((c) => String(c.body.content).length <= 2500)).toBe(true)
    expect(sent.map((c) => c.body.content).join('')).toBe(text)

    // The worst piece decides, with its label: review after a passing piece.
    expect(await check.check('o', `${'好'.repeat(3000)}REVIEW`)).toEqual({ verdict: 'review', label: 21000 })
    expect(await check.check('o', '好'.repeat(6000))).toEqual({ verdict: 'pass', label: 100 })
  })

  it('refuses a risky piece even when checking another piece failed', async () => {
    const open = new ContentCheck(client(), 'fail-open')
    expect(await open.check('o', `BROKEN ${'好'.repeat(3000)} RISKY`)).toEqual({ verdict: 'risky', label: 20001, failed: true })
  })

  it('lets text WeChat cannot check (61010: the user is not active) through under fail-closed, marked unchecked, reported once', async () => {
    const failures: number[] = []
    const unchecked: string[] = []
    const closed = new ContentCheck(client(), 'fail-closed', {
      onFailure: (e) => failures.push(e.errcode),
      onUnchecked: (reason) => unchecked.push(reason),
    })
    const passedUnchecked = { verdict: 'pass', label: -1, unchecked: 'user_inactive' }
    expect(await closed.check('o', 'INACTIVE user asks about West Lake')).toEqual(passedUnchecked)
    // Every piece of a long text answers 61010: still one report.
    expect(await closed.check('o', 'INACTIVE '.repeat(600))).toEqual(passedUnchecked)
    expect(unchecked).toEqual(['user_inactive', 'user_inactive'])
    expect(failures).toEqual([])
  })
})
