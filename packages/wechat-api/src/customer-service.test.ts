import { customerServiceMaxChars, customerServiceRefusal, replyWindowRefusal } from './customer-service.js'
import { WeChatApiError } from './errors.js'

const hour = 3600_000
const now = new Date('2026-12-07T12:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)

describe('the customer-service reply window', () => {
  it('lets up to 5 messages go out within 48 hours of the user’s last message', () => {
    expect(replyWindowRefusal({ lastMessageAt: ago(hour), sentSince: 0 }, 5, now)).toBeNull()
    expect(replyWindowRefusal({ lastMessageAt: ago(47 * hour), sentSince: 4 }, 1, now)).toBeNull()
  })

  it('refuses a sixth message, counting every part of a split reply', () => {
    expect(replyWindowRefusal({ lastMessageAt: ago(hour), sentSince: 5 }, 1, now)?.reason).toBe('reply_limit_reached')
    expect(replyWindowRefusal({ lastMessageAt: ago(hour), sentSince: 3 }, 3, now)?.reason).toBe('reply_limit_reached')
  })

  it('refuses once 48 hours have passed (less a minute’s margin), or when the user never wrote', () => {
    expect(replyWindowRefusal({ lastMessageAt: ago(48 * hour - 30_000), sentSince: 0 }, 1, now)?.reason).toBe('reply_window_closed')
    expect(replyWindowRefusal({ lastMessageAt: null, sentSince: 0 }, 1, now)?.reason).toBe('reply_window_closed')
  })

  it('keeps a part within 2,048 bytes even when every character takes 3', () => {
    expect(Buffer.byteLength('中'.repeat(customerServiceMaxChars))).toBeLessThanOrEqual(2048)
  })
})

describe('custom/send errors', () => {
  const error = (errcode: number) => new WeChatApiError('custom/send', errcode, 'errmsg')

  it('tells a refusal for good by its errcode', () => {
    expect(customerServiceRefusal(error(45015))?.reason).toBe('reply_window_closed')
    expect(customerServiceRefusal(error(45047))?.reason).toBe('reply_limit_reached')
    expect(customerServiceRefusal(error(45002))?.reason).toBe('too_long')
    expect(customerServiceRefusal(error(43004))?.reason).toBe('not_a_follower')
    expect(customerServiceRefusal(error(40003))?.reason).toBe('invalid_openid')
    expect(customerServiceRefusal(error(99999))).toEqual({ reason: 'refused', message: 'WeChat refused the message: 99999 errmsg' })
  })

  it('leaves what may succeed later to be retried: busy, quotas, rate limits, a stale token, no answer at all', () => {
    for (const errcode of [-1, 45009, 45011, 40001, 40014, 42001]) expect(customerServiceRefusal(error(errcode))).toBeNull()
    expect(customerServiceRefusal(new TypeError('fetch failed'))).toBeNull()
  })
})
