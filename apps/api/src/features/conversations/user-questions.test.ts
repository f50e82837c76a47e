import { openQuestions, userQuestions, type HistoryEntry } from './user-questions.js'

const asked = (text: string, status: string, reply: HistoryEntry['reply'] = null): HistoryEntry => ({ role: 'user', text, status, reply })
const answer = (text: string, meta: object = {}) => ({ role: 'assistant', text, meta })
const agent = (text: string): HistoryEntry => ({ role: 'agent', text, status: 'delivered', reply: null })

describe('userQuestions', () => {
  it('leaves out commands, ignored messages and small talk, and says how the bot answered each question', () => {
    const questions = userQuestions([
      asked('你好', 'answered', answer('您好！', { smallTalk: 'greeting' })),
      asked('退款多久能到账？', 'answered', answer('退款原路返回。', { sources: '常见问题' })),
      asked('能订火星船票吗', 'answered', answer('抱歉，我在资料里没有找到这个问题的答案。', { confidence: 'low' })),
      asked('在吗', 'failed', { role: 'system', text: 'Sorry', meta: { notice: 'failure' } }),
      asked('/human', 'ignored', { role: 'system', text: '已为你转接人工客服', meta: { notice: 'human' } }),
      asked('儿童票怎么收费？', 'delivered'),
    ])
    expect(questions.map((q) => [q.text, q.answer.kind])).toEqual([
      ['退款多久能到账？', 'answered'],
      ['能订火星船票吗', 'not_found'],
      ['在吗', 'failed'],
      ['儿童票怎么收费？', 'open'],
    ])
  })

  it('counts a question answered together with a later one as that one is', () => {
    const [first, second] = userQuestions([
      asked('几点开门？', 'superseded'),
      asked('门票多少钱？', 'answered', answer('8:00 开门，门票 30 元。')),
    ])
    expect(first).toMatchObject({ answer: { kind: 'with_later' }, answered: true })
    expect(second).toMatchObject({ answer: { kind: 'answered' }, answered: true })
  })
})

describe('openQuestions', () => {
  it('is what the bot did not answer since the agent last wrote, newest first', () => {
    const history = [
      asked('退款多久能到账？', 'answered', answer('退款原路返回。')),
      asked('能订火星船票吗', 'answered', answer('没有找到', { confidence: 'low' })),
      asked('/human', 'ignored'),
    ]
    expect(openQuestions(history)).toEqual(['能订火星船票吗'])
    expect(openQuestions([...history, asked('儿童票怎么收费？', 'delivered')])).toEqual(['儿童票怎么收费？', '能订火星船票吗'])
    expect(openQuestions([...history, agent('我来帮您查'), asked('好的，谢谢，还有儿童票呢？', 'delivered')])).toEqual([
      '好的，谢谢，还有儿童票呢？',
    ])
  })

  it('falls back to the latest question when every one is answered, and is empty without questions', () => {
    expect(openQuestions([asked('退款多久能到账？', 'answered', answer('退款原路返回。')), asked('/human', 'ignored')])).toEqual([
      '退款多久能到账？',
    ])
    expect(openQuestions([asked('/human', 'ignored')])).toEqual([])
  })
})
