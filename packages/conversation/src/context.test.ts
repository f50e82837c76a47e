import { textOf as contentText } from '@chorus/protocol'
import { estimateTokens } from '@chorus/llm'
import { buildContext, defaultPersona, type HistoryItem } from './context.js'

// Each message's cost in buildContext: its estimated tokens plus a fixed per-message overhead.
const overhead = 4
const persona = 'Be terse.'
const personaTokens = estimateTokens(persona)

function user(text: string, author: string | null = null): HistoryItem {
  return { role: 'user', text, author }
}

function assistant(text: string): HistoryItem {
  return { role: 'assistant', text, author: null }
}

/** A latin text costing exactly `tokens` estimated tokens (four characters a token). */
function textOf(tokens: number, letter: string): string {
  return letter.repeat(tokens * 4)
}

describe('buildContext', () => {
  it('starts with the persona as the system message', () => {
    const messages = buildContext({ persona, history: [user('hello')], budgetTokens: 1000, namedSpeakers: false })

    expect(messages[0]).toEqual({ role: 'system', content: persona })
  })

  it('uses the default persona when the bot has none', () => {
    const messages = buildContext({ persona: '', history: [user('hello')], budgetTokens: 1000, namedSpeakers: false })

    expect(messages[0]).toEqual({ role: 'system', content: defaultPersona })
  })

  it('returns only the persona when there is no history', () => {
    expect(buildContext({ persona, history: [], budgetTokens: 1000, namedSpeakers: false })).toEqual([{ role: 'system', content: persona }])
  })

  it('keeps the history oldest first and maps roles to chat roles', () => {
    const history: HistoryItem[] = [
      user('first question'),
      assistant('first answer'),
      { role: 'agent', text: 'a human agent replied', author: 'Agent Li' },
      { role: 'system', text: 'conversation handed back to the bot', author: null },
      user('second question'),
    ]

    const messages = buildContext({ persona, history, budgetTokens: 1000, namedSpeakers: false })

    expect(messages).toEqual([
      { role: 'system', content: persona },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'assistant', content: 'a human agent replied' },
      { role: 'system', content: 'conversation handed back to the bot' },
      { role: 'user', content: 'second question' },
    ])
  })

  it('drops the oldest messages first when the history does not fit the budget', () => {
    const history = [user(textOf(4, 'a')), user(textOf(4, 'b')), user(textOf(4, 'c')), user(textOf(4, 'd'))]
    const twoMessages = personaTokens + 2 * (4 + overhead)

    const messages = buildContext({ persona, history, budgetTokens: twoMessages, namedSpeakers: false })

    expect(messages.map((m) => m.content)).toEqual([persona, textOf(4, 'c'), textOf(4, 'd')])
  })

  it('leaves out a message that would overshoot the budget by one token', () => {
    const history = [user(textOf(4, 'a')), user(textOf(4, 'b'))]
    const justUnderTwo = personaTokens + 2 * (4 + overhead) - 1

    const messages = buildContext({ persona, history, budgetTokens: justUnderTwo, namedSpeakers: false })

    expect(messages.map((m) => m.content)).toEqual([persona, textOf(4, 'b')])
  })

  it('does not skip over a long message to fit an older short one, so the history has no gaps', () => {
    const history = [user('ok'), user(textOf(50, 'b')), user(textOf(2, 'c'))]

    const messages = buildContext({ persona, history, budgetTokens: personaTokens + 20, namedSpeakers: false })

    expect(messages.map((m) => m.content)).toEqual([persona, textOf(2, 'c')])
  })

  it('always includes the newest message, cut to fit when alone it exceeds the budget', () => {
    const newest = `${'start of a long question '.repeat(20)}and here is what I actually want to know?`
    const remaining = 10
    const history = [user('an older message'), user(newest)]

    const messages = buildContext({ persona, history, budgetTokens: personaTokens + remaining, namedSpeakers: false })

    expect(messages).toHaveLength(2)
    const [, last] = messages
    expect(last?.role).toBe('user')
    expect(last?.content.length).toBeGreaterThan(0)
    expect(last?.content.length).toBeLessThan(newest.length)
    expect(newest).toContain(last?.content)
    expect(estimateTokens(contentText(last?.content ?? ''))).toBeLessThanOrEqual(remaining)
  })

  it('still includes a piece of the newest message when the persona alone uses up the budget', () => {
    const messages = buildContext({ persona, history: [user('hello there')], budgetTokens: 1, namedSpeakers: false })

    expect(messages).toHaveLength(2)
    expect(messages[1]?.role).toBe('user')
    expect(messages[1]?.content.length).toBeGreaterThan(0)
    expect('hello there').toContain(messages[1]?.content)
  })

  it('prefixes each user line with its speaker name in a group', () => {
    const history = [user('who is on call?', 'Alice'), assistant('Bob is.'), user('thanks', 'Carol')]

    const messages = buildContext({ persona, history, budgetTokens: 1000, namedSpeakers: true })

    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'Alice: who is on call?' },
      { role: 'assistant', content: 'Bob is.' },
      { role: 'user', content: 'Carol: thanks' },
    ])
  })

  it('does not prefix names in a private chat', () => {
    const messages = buildContext({ persona, history: [user('hi', 'Alice')], budgetTokens: 1000, namedSpeakers: false })

    expect(messages[1]).toEqual({ role: 'user', content: 'hi' })
  })

  it('leaves a user line without an author unprefixed even in a group', () => {
    const messages = buildContext({ persona, history: [user('hi', null)], budgetTokens: 1000, namedSpeakers: true })

    expect(messages[1]).toEqual({ role: 'user', content: 'hi' })
  })

  it('counts the speaker name against the budget', () => {
    const text = textOf(4, 'a')
    const history = [user(text, 'Alice'), user(text, 'Bob')]
    // Enough for both messages without names, not with them.
    const budget = personaTokens + 2 * (estimateTokens(text) + overhead)

    const messages = buildContext({ persona, history, budgetTokens: budget, namedSpeakers: true })

    expect(messages.map((m) => m.content)).toEqual([persona, `Bob: ${text}`])
  })
})
