import { withinBusinessHours } from './business-hours.js'

const weekdaysNineToSix = { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }

describe('withinBusinessHours', () => {
  it('is always open without hours', () => {
    expect(withinBusinessHours(null, new Date('2026-11-29T20:00:00Z'))).toBe(true)
  })

  it('reads the clock in the bot time zone, not UTC', () => {
    // Monday 2026-11-30 01:30 UTC is 09:30 in Shanghai: open there, though it is night in UTC.
    expect(withinBusinessHours(weekdaysNineToSix, new Date('2026-11-30T01:30:00Z'))).toBe(true)
    // Monday 10:30 UTC is 18:30 in Shanghai: closed.
    expect(withinBusinessHours(weekdaysNineToSix, new Date('2026-11-30T10:30:00Z'))).toBe(false)
  })

  it('is closed on days not listed', () => {
    // Sunday 2026-11-29 03:00 UTC is Sunday 11:00 in Shanghai.
    expect(withinBusinessHours(weekdaysNineToSix, new Date('2026-11-29T03:00:00Z'))).toBe(false)
  })

  it('treats the end as exclusive', () => {
    expect(withinBusinessHours(weekdaysNineToSix, new Date('2026-11-30T10:00:00Z'))).toBe(false)
    expect(withinBusinessHours(weekdaysNineToSix, new Date('2026-11-30T09:59:00Z'))).toBe(true)
  })

  it('runs a window over midnight into the next morning', () => {
    const nights = { timezone: 'UTC', days: [5], start: '22:00', end: '06:00' }
    expect(withinBusinessHours(nights, new Date('2026-12-04T23:00:00Z'))).toBe(true) // Friday night
    expect(withinBusinessHours(nights, new Date('2026-12-05T05:00:00Z'))).toBe(true) // Saturday early
    expect(withinBusinessHours(nights, new Date('2026-12-05T07:00:00Z'))).toBe(false)
    expect(withinBusinessHours(nights, new Date('2026-12-03T23:00:00Z'))).toBe(false) // Thursday night
  })
})
