import fc from 'fast-check'
import { pushTimestamp, securePush, signedPushQuery } from '../support/wechat-push.js'
import { sharedStack } from '../support/shared-stack.js'
import { send } from './support/http.js'
import { useWeChatStandIn } from '../support/wechat-world.js'

// Hostile XML thrown at WeChat's push URL, signed (so the parser really reads it) and unsigned
// (refused before the body is read), while /healthz is asked every 50 ms: one request must never
// stop the API. A body is bounded by the route's 64 kB limit, so some of these are refused as too large.

const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const pushKeys = { token: 'push-token', aesKey, appId: 'wx-test-app' }
const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }

/** Watches /healthz until stopped: every answer's status and the slowest answer's milliseconds. */
function watchHealth(url: () => string): { stop(): Promise<{ statuses: Set<number>; slowestMs: number; answers: number }> } {
  const statuses = new Set<number>()
  let slowestMs = 0
  let answers = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      const answer = await fetch(`${url()}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null)
      await answer?.arrayBuffer()
      statuses.add(answer?.status ?? 0)
      slowestMs = Math.max(slowestMs, performance.now() - started)
      answers++
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return { statuses, slowestMs, answers }
    },
  }
}

const size = fc.integer({ min: 1_000, max: 70_000 })
const whitespace = fc.constantFrom(' ', '\t', '\n', '\r\n')
const hostileXml = fc.oneof(
  // The body that froze the old parser: an open tag, then a long run of spaces.
  fc.tuple(whitespace, size).map(([space, n]) => `<xml><a>${space.repeat(n / space.length)}</xml>`),
  fc.tuple(fc.constantFrom('<a>', '<a><b>', '<x y="1">'), size).map(([open, n]) => `<xml>${open.repeat(n / open.length)}</xml>`),
  size.map((n) => `<xml><MsgType a="${'x'.repeat(n)}">text</MsgType></xml>`),
  size.map((n) => `<xml><a ${'b="1" '.repeat(n / 6)}>1</a></xml>`),
  fc.integer({ min: 2, max: 12 }).map((levels) => {
    const entities = Array.from({ length: levels }, (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`).join('')
    return `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e0 "lol">${entities}]><xml><Content>&e${levels};</Content></xml>`
  }),
  fc
    .tuple(fc.constantFrom('&#65;', '&amp;', '&lt;', '&#x41;'), size)
    .map(([entity, n]) => `<xml><Content>${entity.repeat(n / entity.length)}</Content></xml>`),
  size.map((n) => `<xml><Content><![CDATA[${']'.repeat(n)}`),
  fc
    .array(fc.constantFrom('<', '>', '</', '<![CDATA[', ']]>', '<!--', '-->', '&', '"', ' ', 'xml', 'a', '=', '\n'), { maxLength: 8_000 })
    .map((parts) => parts.join('')),
)

describe('WeChat push under hostile XML', () => {
  const env: Record<string, string> = { ...admin }
  useWeChatStandIn(env, { WECHAT_PUSH_TOKEN: 'push-token' })
  const stack = sharedStack({ env })
  const url = () => stack().api.url
  const post = (query: string, body: string) =>
    send(url(), { method: 'POST', path: `/mp/v1/wechat/push?${query}`, headers: { 'content-type': 'text/xml' }, raw: body })

  it('answers the reported body with a 4xx at once, unsigned or signed, while /healthz keeps answering', async () => {
    const health = watchHealth(url)
    const hostile = `<xml><a>${' '.repeat(60_000)}</xml>`
    const started = performance.now()
    const unsigned = await post(`signature=0&timestamp=${pushTimestamp()}&nonce=n`, hostile)
    const signed = await post(signedPushQuery('push-token', pushTimestamp(), 'n-signed'), hostile)
    const elapsedMs = performance.now() - started
    const seen = await health.stop()
    expect([unsigned.status, signed.status]).toEqual([401, 400])
    expect(elapsedMs).toBeLessThan(500)
    expect(seen.statuses).toEqual(new Set([200]))
    expect(seen.slowestMs).toBeLessThan(1_000)
  })

  it('refuses every hostile body with a 4xx and never stops /healthz for a second', async () => {
    const health = watchHealth(url)
    const statuses = new Set<number>()
    let nonce = 0
    await fc.assert(
      fc.asyncProperty(hostileXml, async (body) => {
        const answer = await post(signedPushQuery('push-token', pushTimestamp(), `fuzz-${++nonce}`), body)
        statuses.add(answer.status)
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
      }),
      { numRuns: 60 },
    )
    const seen = await health.stop()
    expect(seen.answers).toBeGreaterThan(1)
    expect(seen.statuses).toEqual(new Set([200]))
    expect(seen.slowestMs).toBeLessThan(1_000)
    // Both refusals were met: bodies read and refused (400) and bodies too large to read (413).
    expect([...statuses].sort()).toEqual([400, 413])
    expect(await stack().database.db.message.count()).toBe(0)
  })
})

describe('WeChat push in secure mode under hostile XML', () => {
  const env: Record<string, string> = { ...admin }
  useWeChatStandIn(env, { WECHAT_PUSH_TOKEN: 'push-token', WECHAT_PUSH_AES_KEY: aesKey })
  const stack = sharedStack({ env })
  const url = () => stack().api.url

  it('refuses hostile XML inside a correctly signed, encrypted envelope, and hostile envelopes, with a 4xx', async () => {
    const health = watchHealth(url)
    let nonce = 0
    await fc.assert(
      fc.asyncProperty(hostileXml, fc.boolean(), async (xml, inside) => {
        const push = securePush(xml, { ...pushKeys, nonce: `secure-${++nonce}`, format: 'xml' })
        // Inside: the decrypted message is hostile. Outside: the envelope itself is, around no valid Encrypt.
        const body = inside ? push.body : xml
        const answer = await send(url(), {
          method: 'POST',
          path: `/mp/v1/wechat/push?${push.query}`,
          headers: { 'content-type': 'text/xml' },
          raw: body,
        })
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
      }),
      { numRuns: 40 },
    )
    const seen = await health.stop()
    expect(seen.statuses).toEqual(new Set([200]))
    expect(seen.slowestMs).toBeLessThan(1_000)
    expect(await stack().database.db.message.count()).toBe(0)
  })
})
