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

  it('reports the content check verdicts with their labels', async () => {
    const c = client()
    expect(await c.msgSecCheck({ openid: 'o', content: 'nice weather' })).toMatchObject({ suggest: 'pass', label: 100 })
    expect(await c.msgSecCheck({ openid: 'o', content: 'RISKY words' })).toMatchObject({ suggest: 'risky', label: 20001 })
    expect(await c.msgSecCheck({ openid: 'o', content: 'REVIEW me' })).toMatchObject({ suggest: 'review', label: 21000 })
  })

  it('lets text through or refuses it when the check itself fails, by policy, without throwing', async () => {
    const failures: number[] = []
    const open = new ContentCheck(client(), 'fail-open', (e) => failures.push(e.errcode))
    const closed = new ContentCheck(client(), 'fail-closed')
    expect(await open.check('o', 'BROKEN')).toEqual({ verdict: 'pass', label: -1, failed: true })
    expect(await closed.check('o', 'BROKEN')).toEqual({ verdict: 'risky', label: -1, failed: true })
    expect(failures).toEqual([-1])
  })
})
