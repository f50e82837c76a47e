import { askBackMenu, askBackText, chosenNumber, chosenQuestion, offeredQuestions } from './ask-back.js'
import type { HistoryItem } from './context.js'

const asked = askBackText(['需要给导游小费吗？', '可以请私人导游吗？多少钱？'], 'zh')

describe('asking back which FAQ entry was meant', () => {
  it('lists the questions numbered, in the bot’s language, and reads them back', () => {
    expect(asked).toBe('您是想问：\n1. 需要给导游小费吗？\n2. 可以请私人导游吗？多少钱？\n请回复序号。')
    expect(offeredQuestions(asked)).toEqual(['需要给导游小费吗？', '可以请私人导游吗？多少钱？'])
    expect(offeredQuestions(askBackText(['Pets?', 'Parking?'], 'en'))).toEqual(['Pets?', 'Parking?'])
    expect(offeredQuestions('1. 这不是反问')).toBeNull()
  })

  it('understands a choice written as a digit, a Chinese numeral, a circled digit or a short phrase', () => {
    expect(['2', '２', '2.', ' 2 ', '第二个', '第2条', '选2', '②', '二', 'No. 2'].map(chosenNumber)).toEqual(Array(10).fill(2))
    expect(['12', '2点', '两个人', '导游', ''].map(chosenNumber)).toEqual(Array(5).fill(null))
  })

  const user = (text: string, author = 'Wen'): HistoryItem => ({ role: 'user', text, author })
  const bot = (text: string): HistoryItem => ({ role: 'assistant', text, author: null })

  it('takes a number right after the bot asked back as the question it picked', () => {
    expect(chosenQuestion([user('导游'), bot(asked), user('2')])).toBe('可以请私人导游吗？多少钱？')
  })

  it('does not take a number as a choice when nothing was offered, the number is out of range, or another member sends it', () => {
    expect(chosenQuestion([user('导游'), bot('导游费用是 300 元。'), user('2')])).toBeNull()
    expect(chosenQuestion([user('导游'), bot(asked), user('3')])).toBeNull()
    expect(chosenQuestion([user('导游'), bot(asked), user('2', 'Xu')])).toBeNull()
    // Only the bot's latest reply counts: once it answered, an old list is no longer open.
    expect(chosenQuestion([user('导游'), bot(asked), user('2'), bot('小费不是必须的。'), user('1')])).toBeNull()
  })

  it('splits an ask-back into a menu’s head, choices and closing line, for channels that show choices as buttons', () => {
    expect(askBackMenu(asked)).toEqual({
      head: '您是想问：',
      questions: ['需要给导游小费吗？', '可以请私人导游吗？多少钱？'],
      tail: '请回复序号。',
    })
    expect(askBackMenu('导游费用是 300 元。')).toBeNull()
  })
})
