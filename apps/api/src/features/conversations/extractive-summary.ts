import { leadingSentences } from './leading-sentences.js'
import type { BotAnswer, UserQuestion } from './user-questions.js'

type Language = 'zh' | 'en'

const shownQuestions = 10
const answerChars = 80
const questionChars = 120

const texts = {
  zh: {
    questions: '用户的问题：',
    latest: (shown: number, all: number) => `用户的问题（共 ${all} 个，以下是最近 ${shown} 个）：`,
    none: '用户还没有提问。',
    answered: '机器人答：',
    not_found: '机器人在资料里没有找到答案。',
    failed: '机器人没能回答。',
    with_later: '与后面的问题一起回答。',
    open: '还没有人回答。',
    reason: '转人工原因：',
  },
  en: {
    questions: 'The user asked:',
    latest: (shown: number, all: number) => `The user asked (the latest ${shown} of ${all} questions):`,
    none: 'The user has not asked anything yet.',
    answered: 'Bot: ',
    not_found: 'The bot found no answer in its knowledge base.',
    failed: 'The bot could not answer.',
    with_later: 'Answered together with the next question.',
    open: 'Not answered yet.',
    reason: 'Handoff reason: ',
  },
} satisfies Record<Language, Record<string, unknown>>

// The reasons Chorus itself records (packages/conversation), in Chinese; any other is shown as stored.
const reasonsZh: Record<string, string> = {
  'asked for a person': '用户要求转人工',
  'the bot failed to answer': '机器人多次没能回答',
  'taken over by an agent': '客服主动接手',
}

/** The question on one line, its start when it is long. */
function questionLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > questionChars ? `${line.slice(0, questionChars)}…` : line
}

function answerLine(answer: BotAnswer, language: Language): string {
  const t = texts[language]
  return answer.kind === 'answered' ? `${t.answered}${leadingSentences(answer.text, answerChars)}` : t[answer.kind]
}

/**
 * The handoff summary written without a model (docs/handoff.md): the user's questions, the start
 * of what the bot answered to each, and why the conversation was handed over. Deterministic: the
 * same conversation gives the same text.
 */
export function extractiveSummary(questions: UserQuestion[], handoffReason: string | null, language: Language): string {
  const t = texts[language]
  const shown = questions.slice(-shownQuestions)
  const lines =
    shown.length === 0
      ? [t.none]
      : [
          shown.length < questions.length ? t.latest(shown.length, questions.length) : t.questions,
          ...shown.flatMap((q, i) => [`${i + 1}. ${questionLine(q.text)}`, `   ${answerLine(q.answer, language)}`]),
        ]
  if (handoffReason) lines.push(`${t.reason}${language === 'zh' ? (reasonsZh[handoffReason] ?? handoffReason) : handoffReason}`)
  return lines.join('\n')
}
