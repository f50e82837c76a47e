import { extractiveSummary } from './extractive-summary.js'
import { leadingSentences } from './leading-sentences.js'
import type { UserQuestion } from './user-questions.js'

const question = (text: string, answer: UserQuestion['answer']): UserQuestion => ({
  text,
  answer,
  answered: answer.kind === 'answered',
  agentSinceAsked: false,
})

describe('extractiveSummary', () => {
  it('lists the user’s questions with the start of each answer and the handoff reason, in the bot’s language', () => {
    const questions = [
      question('退款多久能到账？', {
        kind: 'answered',
        text: '退款原路返回：微信支付和支付宝一般 1～3 个工作日到账，银行卡 3～7 个工作日到账，具体以银行处理时间为准。遇到节假日顺延，如超过 7 个工作日仍未到账，请联系我们的客服热线。\n\n来源：《西湖旅行社常见问题》',
      }),
      question('能帮我订一张去火星的船票吗', { kind: 'not_found' }),
      question('儿童票\n怎么收费？', { kind: 'open' }),
    ]
    expect(extractiveSummary(questions, 'asked for a person', 'zh')).toBe(
      [
        '用户的问题：',
        '1. 退款多久能到账？',
        '   机器人答：退款原路返回：微信支付和支付宝一般 1～3 个工作日到账，银行卡 3～7 个工作日到账，具体以银行处理时间为准。',
        '2. 能帮我订一张去火星的船票吗',
        '   机器人在资料里没有找到答案。',
        '3. 儿童票 怎么收费？',
        '   还没有人回答。',
        '转人工原因：用户要求转人工',
      ].join('\n'),
    )
    expect(extractiveSummary(questions.slice(1, 2), 'the bot failed to answer', 'en')).toBe(
      [
        'The user asked:',
        '1. 能帮我订一张去火星的船票吗',
        '   The bot found no answer in its knowledge base.',
        'Handoff reason: the bot failed to answer',
      ].join('\n'),
    )
  })

  it('shows the latest ten questions of more, and says when the user asked nothing', () => {
    const many = Array.from({ length: 12 }, (_, i) => question(`question ${i + 1}`, { kind: 'failed' }))
    const summary = extractiveSummary(many, null, 'en').split('\n')
    expect(summary[0]).toBe('The user asked (the latest 10 of 12 questions):')
    expect(summary[1]).toBe('1. question 3')
    expect(summary).toHaveLength(21)
    expect(extractiveSummary([], 'taken over by an agent', 'zh')).toBe('用户还没有提问。\n转人工原因：客服主动接手')
  })
})

describe('leadingSentences', () => {
  it('keeps the whole sentences that fit, or cuts the first one short', () => {
    expect(leadingSentences('One. Two. Three.', 10)).toBe('One. Two.')
    expect(leadingSentences('短句。', 10)).toBe('短句。')
    expect(leadingSentences('A very long first sentence without an end', 10)).toBe('A very lon…')
    expect(leadingSentences('First paragraph.\n\nSecond one.', 100)).toBe('First paragraph.')
  })
})
