import { RecentSet } from './recent-set.js'

describe('a set of recent members', () => {
  it('forgets the oldest member once it holds more than its limit', () => {
    const set = new RecentSet(2)
    set.add('a')
    set.add('b')
    set.add('a')
    set.add('c')
    expect(['a', 'b', 'c'].map((m) => set.has(m))).toEqual([true, false, true])
  })
})
