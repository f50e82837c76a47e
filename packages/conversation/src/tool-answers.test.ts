import { isYes, pendingConfirmation } from './tool-answers.js'

const pendingTool = { id: 'call_1', tool: 'cancel_order', server: 'travel', arguments: '{"order_id":"A1024"}' }
const now = 1_000_000_000

describe('a confirmation the bot asked for', () => {
  it.each(['是', '是的', '好的！', ' yes ', 'OK', '确认。'])('takes %j as yes', (text) => expect(isYes(text)).toBe(true))
  it.each(['否', '不用了', 'yes but later', '是不是', ''])('takes %j as no', (text) => expect(isYes(text)).toBe(false))

  it('is the call the bot’s last reply asked about, answered by whoever asked', () => {
    const history = [
      { role: 'user', author: 'Dan', at: now - 3000 },
      { role: 'assistant', author: null, pendingTool, at: now - 2000 },
      { role: 'user', author: 'Dan', at: now - 1000 },
    ]
    expect(pendingConfirmation(history, now)).toEqual(pendingTool)
  })

  it('is nothing when another member answers, when it is stale, or when the bot said something since', () => {
    const asked = [
      { role: 'user', author: 'Dan', at: now - 3000 },
      { role: 'assistant', author: null, pendingTool, at: now - 2000 },
    ]
    expect(pendingConfirmation([...asked, { role: 'user', author: 'Eve', at: now }], now)).toBeNull()
    expect(pendingConfirmation([...asked, { role: 'user', author: 'Dan', at: now }], now + 31 * 60_000)).toBeNull()
    const since = [...asked, { role: 'assistant', author: null, at: now - 1500 }, { role: 'user', author: 'Dan', at: now }]
    expect(pendingConfirmation(since, now)).toBeNull()
  })
})
