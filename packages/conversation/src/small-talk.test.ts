import { smallTalkOf } from './small-talk.js'

describe('smallTalkOf', () => {
  it.each([
    ['你好', 'greeting'],
    ['您好！', 'greeting'],
    ['你好呀😊', 'greeting'],
    ['在吗？', 'greeting'],
    ['在吗[微笑]', 'greeting'],
    ['大家好', 'greeting'],
    ['早上好~', 'greeting'],
    ['Hi', 'greeting'],
    ['Hello there!', 'greeting'],
    ['hey 👋', 'greeting'],
    ['谢谢', 'thanks'],
    ['谢谢你！！', 'thanks'],
    ['多谢了', 'thanks'],
    ['感谢🙏', 'thanks'],
    ['Thanks!', 'thanks'],
    ['thank you very much', 'thanks'],
    ['Thank U so much', 'thanks'],
    ['好的，谢谢', 'thanks'],
    ['ok thx', 'thanks'],
    ['好的', 'acknowledgement'],
    ['OK', 'acknowledgement'],
    ['ok👌', 'acknowledgement'],
    ['嗯嗯', 'acknowledgement'],
    ['收到了', 'acknowledgement'],
    ['再见', 'farewell'],
    ['拜拜~', 'farewell'],
    ['Bye!', 'farewell'],
    ['谢谢，再见', 'farewell'],
  ])('takes %p for %s', (text, kind) => {
    expect(smallTalkOf(text)).toBe(kind)
  })

  it('allows the bot’s name around the words', () => {
    expect(smallTalkOf('你好，小西', '小西')).toBe('greeting')
    expect(smallTalkOf('@Chorus hi', 'Chorus')).toBe('greeting')
    expect(smallTalkOf('小西', '小西')).toBeNull()
  })

  it.each([
    '你好，我想问退房时间',
    '谢谢，退房是几点？',
    'hi, what time is checkout?',
    '好的，那门票多少钱',
    'okay so where is the hotel',
    '你们卖火箭发动机吗',
    'hello world',
    'history',
    'thanksgiving',
    '不好',
    '早点出发',
    '/human',
    '5',
    '😊',
    '[微笑]',
    '',
    '谢谢'.repeat(13),
  ])('does not take %p for small talk', (text) => {
    expect(smallTalkOf(text)).toBeNull()
  })
})
