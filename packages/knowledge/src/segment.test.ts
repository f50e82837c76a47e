import { askedWords, queryTerms, sceneWords, searchText, words } from './segment.js'

describe('Chinese word segmentation for search', () => {
  it('splits Chinese into words where whitespace tokenisation sees one token', () => {
    expect('西湖画舫几点开始'.split(/\s+/)).toHaveLength(1)
    expect(words('西湖画舫几点开始')).toEqual(expect.arrayContaining(['西湖', '画舫']))
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

  it('takes an English phrase of the table as one word, and inside a word of the table only its words', () => {
    expect(words('room service')).toEqual(words('送餐'))
    expect(words('room service')).not.toContain(words('room')[0])
    // 港澳同胞 is one word, not 同胞; a new-energy car is an electric car, not energy.
    expect(words('港澳同胞')).toEqual(words('港澳台'))
    expect(words('港澳同胞')).not.toContain('同胞')
    expect(words('新能源汽车')).toEqual(words('电动车'))
    // Only the pieces of that occurrence go: the credit of the second clause stays.
    expect(words('信用卡逾期会影响信用吗')).toContain('信用')
    expect(words('Room-Service')).toEqual(words('送餐'))
    // A Visa card is a credit card; a visa is a visa.
    expect(words('Visa cards')).toEqual(words('信用卡'))
    expect(words('用Visa卡付')).toContain(words('信用卡')[0])
    expect(words('do I need a visa')).toContain(words('签证')[0])
    expect(words('Do you accept Visa?')).toContain(words('信用卡')[0])
    expect(words('可以刷visa吗')).toContain(words('信用卡')[0])
    // A store you keep bags in, or a shop.
    expect(words('can I store my luggage')).toContain(words('寄存')[0])
    expect(words('is there a convenience store nearby')).not.toContain(words('寄存')[0])
    // Inside a table word only the table's words count; outside, jieba's pieces of a long word do.
    expect(words('几点可以办理入住')).not.toContain('理入')
    expect(words('有额外收费吗')).not.toContain('额外')
    expect(words('能用支付宝吗')).toContain(words('付款')[0])
    expect(words('增值税专用发票')).toEqual(expect.arrayContaining(['增值税', '专用发票', '发票']))
  })

  it('knows the words that only set the scene of a question', () => {
    expect([...sceneWords('明天想睡个懒觉')]).toContain('明天')
    expect([...sceneWords('订了房临时有事去不了')]).toEqual(expect.arrayContaining(['临时']))
    // Words of the synonym table are never scene words.
    expect([...sceneWords('可以延迟退房吗')]).toEqual([])
  })

  it('counts a word written only as a question word for less, and less still when it asks where to do something', () => {
    const [address] = words('地址')
    expect(askedWords('门店在哪里').get(address!)).toBe(0.5)
    expect(askedWords('在哪下单').get(address!)).toBe(0.25)
    // Written out, the word counts whole.
    expect(askedWords('酒店地址在哪里').has(address!)).toBe(false)
  })

  it('does not glue particles and verbs onto unknown words (jieba’s guessing of new words is off)', () => {
    expect(queryTerms('能加一个人吗 已经付款了')).not.toContain('能加')
    expect(queryTerms('能加一个人吗 已经付款了')).not.toContain('已经')
  })
})
