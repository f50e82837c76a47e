import { evalSets } from '@chorus/knowledge'
import { casesOf, comparisonTable, evalSetCases, factsFound, isRefusal, referenceFacts } from './model-comparison.js'

describe('scoring an answer against the reference', () => {
  it('takes numbers, times, quoted names and Latin names as the reference’s facts', () => {
    expect(referenceFacts('游船每天8:00到17:00运营，票价55元，详见《游船须知》，可用 Alipay 或 WeChat Pay。')).toEqual([
      '8:00',
      '17:00',
      '55',
      '游船须知',
      'Alipay',
      'WeChat Pay',
    ])
  })

  it('counts the facts an answer states, a full-width colon being the same time', () => {
    expect(factsFound('营业时间 8:00-17:00，周一闭馆', '早上8：00开门，下午五点关门')).toEqual({ found: 1, of: 2 })
    expect(factsFound('周一闭馆', '周一不开')).toEqual({ found: 0, of: 0 })
  })

  it('sees a refusal in Chinese and in English', () => {
    expect(isRefusal('抱歉，我在资料里没有找到这个问题的答案。')).toBe(true)
    expect(isRefusal("Sorry, I don't know.")).toBe(true)
    expect(isRefusal('游船每天8:00开。')).toBe(false)
  })
})

describe('the questions of a comparison', () => {
  it('makes a dataset example’s last answer the reference and what came before it the history', () => {
    expect(
      casesOf([
        {
          system: 'persona',
          turns: [
            { role: 'user', content: 'q1' },
            { role: 'assistant', content: 'a1' },
            { role: 'user', content: 'q2' },
            { role: 'assistant', content: 'a2' },
          ],
        },
      ]),
    ).toEqual([
      {
        system: 'persona',
        history: [
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: 'a1' },
        ],
        question: 'q2',
        reference: 'a2',
      },
    ])
  })

  it('takes an evaluation set’s answerable questions, with the answers of the FAQ entries they ask about', () => {
    const travel = evalSets().find((set) => set.name === 'travel')!
    const cases = evalSetCases(travel)
    expect(cases.length).toBe(travel.cases.filter((c) => c.expected !== null).length)
    expect(cases.every((c) => c.reference.length > 0 && c.history.length === 0)).toBe(true)
  })
})

describe('comparisonTable', () => {
  it('prints one aligned line per model', () => {
    const table = comparisonTable([
      { model: 'a', questions: 2, factsFound: 0.5, meanLength: 40, p50Ms: 120, refusals: 0, errors: 0 },
      {
        model: 'model-b',
        questions: 2,
        factsFound: null,
        meanLength: 8,
        p50Ms: 9,
        refusals: 0.5,
        errors: 1,
        judged: { wins: 1, losses: 0, ties: 1 },
      },
    ])
    expect(table.split('\n')).toEqual([
      'model    questions  facts found  mean length  p50 ms  refusals  errors  judge W/L/T',
      '-------  ---------  -----------  -----------  ------  --------  ------  -----------',
      'a        2          50%          40           120     0%        0       —',
      'model-b  2          —            8            9       50%       1       1/0/1',
    ])
  })
})
