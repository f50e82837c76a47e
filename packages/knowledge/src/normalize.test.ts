import { chineseNumber, normalize } from './normalize.js'

describe('normalising text for retrieval', () => {
  it('writes full-width letters and digits half-width, lowercase', () => {
    expect(normalize('ＷｉＦｉ密码？上午１０点')).toBe('wifi密码?上午10点')
  })

  it('writes traditional characters as simplified ones', () => {
    expect(normalize('發票怎麼開')).toBe('发票怎么开')
    expect(normalize('養了隻貓，可以一起住嗎')).toBe('养了只猫,可以一起住吗')
  })

  it('writes numbers of things in digits, and leaves numerals that are words alone', () => {
    expect(normalize('两点退房')).toBe('2点退房')
    // 个 after a number is the measure word: three people, not "个人" (personal).
    expect(normalize('一日游三个人')).toBe('1日游3人')
    expect(normalize('个人信息')).toBe('个人信息')
    // Colloquial question words as the written ones.
    expect(normalize('咋走？要带啥')).toBe('怎么走?要带什么')
    expect(normalize('贵得令人咋舌，啥子情况')).toBe('贵得令人咋舌,什么情况')
    expect(normalize('十二点半')).toBe('12点半')
    expect(normalize('等一下，一起去')).toBe('等一下,一起去')
  })

  it('writes check-in, check in and checkin one way', () => {
    expect(normalize('Check-in time')).toBe('checkin time')
    expect(normalize('late check out')).toBe('late checkout')
  })

  it('reads Chinese numerals', () => {
    expect([chineseNumber('三'), chineseNumber('十'), chineseNumber('二十五'), chineseNumber('一百零五'), chineseNumber('两千')]).toEqual([
      3, 10, 25, 105, 2000,
    ])
    expect(chineseNumber('一下')).toBeNaN()
  })
})
