import { WeChatApiError } from './errors.js'
import { parseWeComKfChannelId, weComKfChannelId } from './wecom-kf-channel.js'
import { isInvalidMsgToken, weComKfRefusal } from './wecom-kf-refusal.js'

const refused = (errcode: number) => weComKfRefusal(new WeChatApiError('kf/send_msg', errcode, 'errmsg'))

describe('WeCom customer service', () => {
  it('takes WeCom’s and WeChat’s refusals of a send for good, and retries what may pass later', () => {
    expect(refused(95001)).toMatchObject({ reason: 'reply_limit_reached' })
    expect(refused(95018)).toMatchObject({ reason: 'session_not_with_assistant' })
    expect(refused(45015)).toMatchObject({ reason: 'reply_window_closed' })
    expect(refused(45047)).toMatchObject({ reason: 'reply_limit_reached' })
    expect(refused(95999)).toMatchObject({ reason: 'refused', message: expect.stringContaining('95999') })
    expect([-1, 45009, 40014, 42001].map(refused)).toEqual([null, null, null, null])
    expect(weComKfRefusal(new Error('socket hang up'))).toBeNull()
  })

  it('knows a refused sync_msg token (95007) from other errors', () => {
    expect(isInvalidMsgToken(new WeChatApiError('kf/sync_msg', 95007, 'invalid msg token'))).toBe(true)
    expect(isInvalidMsgToken(new WeChatApiError('kf/sync_msg', -1, 'system error'))).toBe(false)
  })

  it('names one channel per customer per account, and reads it back', () => {
    expect(weComKfChannelId('wkAbC', 'wmXyZ')).toBe('wkAbC/wmXyZ')
    expect(parseWeComKfChannelId('wkAbC/wmXyZ')).toEqual({ openKfId: 'wkAbC', externalUserId: 'wmXyZ' })
    expect(['wkAbC', '/wmXyZ', 'wkAbC/', ''].map(parseWeComKfChannelId)).toEqual([null, null, null, null])
  })
})
