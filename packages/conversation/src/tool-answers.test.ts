import { isYes, pendingConfirmation } from './tool-answers.js'

const pendingTool = { id: 'call_1', tool: 'cancel_order', server: 'travel', arguments: '{"order_id":"A1024"}' }
const now = 1_000_000_000

describe('a confirmation the bot asked for', () => {
  it.each(['是', '是的', '好的！', ' yes ', 'OK', '确认。'])('takes %j as yes', (text) => expect(isYes(text)).toBe(true))
  it.each(['否', '不用了', 'yes but later', '是不是', ''])('takes %j as no', (text) => expect(isYes(text)).toBe(false))

  const asked = [
    { id: '1', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 3000 },
    { id: '2', role: 'assistant', author: null, pendingTool, at: now - 2000 },
  ]

  it('is the call the bot’s last reply asked about, answered next by whoever asked', () => {
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 1000 }], now)).toEqual({
      call: pendingTool,
      askedId: '2',
    })
  })

  it('is nothing when another member answers, even one of the same name, or when it is stale', () => {
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Eve', authorId: 'u-eve', at: now }], now)).toBeNull()
    expect(pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan-2', at: now }], now)).toBeNull()
    expect(
      pendingConfirmation([...asked, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now }], now + 31 * 60_000),
    ).toBeNull()
  })

  it('is nothing when the yes is not the next message: the bot said something since, or the user wrote twice', () => {
    const since = [
      ...asked,
      { id: '4', role: 'assistant', author: null, at: now - 1500 },
      { id: '5', role: 'user', author: 'Dan', authorId: 'u-dan', at: now },
    ]
    expect(pendingConfirmation(since, now)).toBeNull()
    const twice = [
      ...asked,
      { id: '4', role: 'user', author: 'Dan', authorId: 'u-dan', at: now - 500 },
      { id: '5', role: 'user', author: 'Dan', authorId: 'u-dan', at: now },
    ]
    expect(pendingConfirmation(twice, now)).toBeNull()
  })

  it('is nothing when whoever asked is no longer in the history', () => {
    expect(pendingConfirmation([asked[1]!, { id: '3', role: 'user', author: 'Dan', authorId: 'u-dan', at: now }], now)).toBeNull()
  })
})
