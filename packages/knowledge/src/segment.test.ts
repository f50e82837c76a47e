import { queryTerms, searchText, words } from './segment.js'

describe('Chinese word segmentation for search', () => {
  it('splits Chinese into words where whitespace tokenisation sees one token', () => {
    expect('西湖游船几点开始'.split(/\s+/)).toHaveLength(1)
    expect(words('西湖游船几点开始')).toEqual(expect.arrayContaining(['西湖', '游船']))
  })

  it('keeps Latin words and numbers, lowercased, and drops punctuation', () => {
    expect(words('iPhone 15 退款？')).toEqual(['iphone', '15', '退款'])
    expect(words('你好，世界！')).toEqual(['你好', '世界'])
  })

  it('indexes the characters of Chinese words too, so different words for the same thing still meet', () => {
    expect(searchText('你好，世界！')).toBe('你好 世界 #你 #好 #世 #界')
    const ticket = new Set(searchText('退票').split(' '))
    expect(
      searchText('退款')
        .split(' ')
        .some((term) => ticket.has(term)),
    ).toBe(true)
  })

  it('leaves particles and question words out of queries, unless nothing else is left', () => {
    expect(queryTerms('请问儿童门票怎么买呢？')).not.toContain('请问')
    expect(queryTerms('请问儿童门票怎么买呢？')).toEqual(expect.arrayContaining(['儿童']))
    expect(queryTerms('什么')).toEqual(['什么', '#什', '#么'])
  })

  it('does not glue particles and verbs onto unknown words (jieba’s guessing of new words is off)', () => {
    expect(queryTerms('能加一个人吗 已经付款了')).not.toContain('能加')
    expect(queryTerms('能加一个人吗 已经付款了')).not.toContain('已经')
  })
})
