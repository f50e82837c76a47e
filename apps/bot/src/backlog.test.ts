import { backlogAfterSeconds, isBacklog } from './backlog.js'

describe('the backlog rule', () => {
  it('answers a message up to three minutes old', () => {
    expect(backlogAfterSeconds).toBe(180)
    expect(isBacklog(0)).toBe(false)
    expect(isBacklog(180)).toBe(false)
  })

  it('only stores a message older than three minutes, as a puppet replays them after login', () => {
    expect(isBacklog(181)).toBe(true)
    expect(isBacklog(6 * 3600)).toBe(true)
  })

  it('answers a message dated slightly in the future (clocks differ)', () => {
    expect(isBacklog(-5)).toBe(false)
  })
})
