import { questionParts } from './question-parts.js'

describe('the parts of a message that asks several things', () => {
  it('splits at question marks, commas, spaces between Chinese words and joining words', () => {
    expect(questionParts('早餐几点结束？停车怎么收费')).toEqual(['早餐几点结束', '停车怎么收费'])
    expect(questionParts('押金多少，能开发票吗')).toEqual(['押金多少', '能开发票吗'])
    expect(questionParts('几点退房 能寄存行李吗')).toEqual(['几点退房', '能寄存行李吗'])
    expect(questionParts('游船几点开，另外灵隐寺门票多少钱')).toEqual(['游船几点开', '灵隐寺门票多少钱'])
    expect(questionParts('what time is breakfast and is the pool free')).toEqual(['what time is breakfast', 'is the pool free'])
  })

  it('keeps one question whole', () => {
    expect(questionParts('西湖的游船几点开？')).toEqual(['西湖的游船几点开'])
    expect(questionParts('what time is checkout')).toEqual(['what time is checkout'])
  })

  it('joins a piece that asks nothing to the question it sets up, and a short follow-up to the one before', () => {
    expect(questionParts('我朋友是外国人，拿护照能住吗')).toEqual(['我朋友是外国人 拿护照能住吗'])
    expect(questionParts('猫可以带进房间吗 要收费吗')).toEqual(['猫可以带进房间吗 要收费吗'])
    expect(questionParts('可以免押吗 芝麻分700')).toEqual(['可以免押吗 芝麻分700'])
  })
})
