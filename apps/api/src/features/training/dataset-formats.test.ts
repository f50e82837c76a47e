import { z } from 'zod'
import { alternatingTurns, formatExamples, isTestExample, maskExample, type Example } from './dataset-formats.js'

const examples: Example[] = [
  {
    system: '你是西湖旅行社的客服。',
    turns: [
      { role: 'user', content: '几点开门？' },
      { role: 'assistant', content: '早上九点。' },
      { role: 'user', content: '周日呢？' },
      { role: 'assistant', content: '周日也是九点。' },
    ],
  },
  {
    system: '',
    turns: [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi!' },
    ],
  },
]

const text = z.string().min(1)

describe('alternatingTurns', () => {
  it('joins consecutive turns of one side and drops what comes before the first question and after the last answer', () => {
    expect(
      alternatingTurns([
        { role: 'assistant', content: '欢迎！' },
        { role: 'user', content: '在吗' },
        { role: 'user', content: '想问个问题' },
        { role: 'assistant', content: '您请说。' },
        { role: 'assistant', content: ' ' },
        { role: 'user', content: '谢谢' },
      ]),
    ).toEqual([
      { role: 'user', content: '在吗\n想问个问题' },
      { role: 'assistant', content: '您请说。' },
    ])
  })

  it('gives nothing for a conversation with no answered question', () => {
    expect(alternatingTurns([{ role: 'user', content: '在吗' }])).toBeNull()
    expect(alternatingTurns([{ role: 'assistant', content: '欢迎！' }])).toBeNull()
  })
})

describe('isTestExample', () => {
  it('puts the same example in the same split every time, and about the share asked for in the test split', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `pair:${i}`)
    const test = keys.filter((key) => isTestExample(key, 0.2))
    expect(keys.filter((key) => isTestExample(key, 0.2))).toEqual(test)
    expect(test.length).toBeGreaterThan(320)
    expect(test.length).toBeLessThan(480)
    expect(keys.some((key) => isTestExample(key, 0))).toBe(false)
  })
})

describe('maskExample', () => {
  it('masks phone and ID numbers with one placeholder per distinct value across the turns', () => {
    const masked = maskExample({
      system: '',
      turns: [
        { role: 'user', content: '我的电话是13812345678，身份证11010519491231002X' },
        { role: 'assistant', content: '已记下13812345678。' },
      ],
    })
    expect(masked.turns.map((t) => t.content)).toEqual(['我的电话是[PHONE_1]，身份证[ID_1]', '已记下[PHONE_1]。'])
  })
})

describe('formatExamples', () => {
  it('writes OpenAI chat fine-tuning JSONL: one object of messages per line, the persona as the system message', () => {
    const file = formatExamples(examples, 'openai')
    expect(file.extension).toBe('jsonl')
    const lines = file.body.trimEnd().split('\n')
    const line = z.object({
      messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: text })).min(2),
    })
    expect(lines.map((l) => line.parse(JSON.parse(l)))).toEqual([
      { messages: [{ role: 'system', content: '你是西湖旅行社的客服。' }, ...examples[0]!.turns] },
      { messages: examples[1]!.turns },
    ])
  })

  it('writes ShareGPT JSON as LLaMA-Factory reads it', () => {
    const file = formatExamples(examples, 'sharegpt')
    const shape = z.array(
      z.object({ conversations: z.array(z.object({ from: z.enum(['human', 'gpt']), value: text })), system: text.optional() }).strict(),
    )
    const parsed = shape.parse(JSON.parse(file.body))
    expect(parsed[0]).toEqual({
      conversations: [
        { from: 'human', value: '几点开门？' },
        { from: 'gpt', value: '早上九点。' },
        { from: 'human', value: '周日呢？' },
        { from: 'gpt', value: '周日也是九点。' },
      ],
      system: '你是西湖旅行社的客服。',
    })
    expect(parsed[1]).not.toHaveProperty('system')
  })

  it('writes Alpaca JSON with the last exchange as instruction and output, the earlier ones as history', () => {
    const file = formatExamples(examples, 'alpaca')
    const shape = z.array(
      z
        .object({ instruction: text, input: z.literal(''), output: text, system: text.optional(), history: z.array(z.tuple([text, text])) })
        .strict(),
    )
    expect(shape.parse(JSON.parse(file.body))).toEqual([
      {
        instruction: '周日呢？',
        input: '',
        output: '周日也是九点。',
        system: '你是西湖旅行社的客服。',
        history: [['几点开门？', '早上九点。']],
      },
      { instruction: 'Hello', input: '', output: 'Hi!', history: [] },
    ])
  })
})
