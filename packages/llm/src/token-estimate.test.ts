import { estimateTokens } from './token-estimate.js'

describe('estimateTokens', () => {
  it('counts an empty text as no tokens', () => {
    expect(estimateTokens('')).toBe(0)
  })

  it('counts latin text at about four characters a token, rounding up', () => {
    expect(estimateTokens('abcd')).toBe(1)
    expect(estimateTokens('abcde')).toBe(2)
    expect(estimateTokens('a')).toBe(1)
    expect(estimateTokens('x'.repeat(400))).toBe(100)
  })

  it('counts spaces and punctuation with the latin text', () => {
    expect(estimateTokens('Hi, you!')).toBe(2)
  })

  it('counts each Chinese character as one token', () => {
    expect(estimateTokens('你好世界')).toBe(4)
    expect(estimateTokens('我们明天见')).toBe(5)
  })

  it('counts Japanese kana and Korean hangul as one token a character', () => {
    expect(estimateTokens('ありがとう')).toBe(5)
    expect(estimateTokens('カタカナ')).toBe(4)
    expect(estimateTokens('안녕하세요')).toBe(5)
  })

  it('counts full-width punctuation as one token a character', () => {
    expect(estimateTokens('，。！？')).toBe(4)
  })

  it('adds the CJK characters to the latin estimate of the rest in mixed text', () => {
    // 3 CJK characters, then "abcd efgh" (9 characters: 3 tokens).
    expect(estimateTokens('你好吗abcd efgh')).toBe(3 + 3)
  })

  it('gives the same count on repeated calls', () => {
    const text = '中文 and English 混合'
    expect(estimateTokens(text)).toBe(estimateTokens(text))
  })
})
