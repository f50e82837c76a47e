import type { BotSettings } from '@chorus/protocol'
import type { HistoryItem } from './context.js'
import { t } from './i18n.js'

// Asking back when the knowledge base has several likely answers: "您是想问：1. … 2. … 请回复序号。"
// The question is the bot's reply, in the history like any other, so the choice needs no state
// of its own: the next message, a number, is read against the reply before it.

const option = /^(\d)\. (.+)$/
const headers = ['您是想问：', 'Did you mean:']

/** The bot's reply asking which of `questions` the user meant. */
export function askBackText(questions: string[], language: BotSettings['language']): string {
  return t('askWhich', language, { options: questions.map((q, i) => `${i + 1}. ${q}`).join('\n') })
}

/** The questions an ask-back reply offered, in order; null when `text` is not one. */
export function offeredQuestions(text: string): string[] | null {
  const lines = text.split('\n')
  if (!headers.includes(lines[0]?.trim() ?? '')) return null
  const questions = lines.flatMap((line) => {
    const match = option.exec(line.trim())
    return match ? [match[2]!] : []
  })
  return questions.length > 0 ? questions : null
}

const chineseDigits = ['一', '二', '三', '四', '五', '六', '七', '八', '九']
const circled = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨']

/** The number a message picks ("2", "2.", "第二个", "选2", "②"), or null when it is anything else. */
export function chosenNumber(text: string): number | null {
  const trimmed = text
    .normalize('NFKC')
    .trim()
    .replace(/[。.，,!！?？\s]+$/u, '')
  const match = /^(?:选|第|no\.?\s*|#)?\s*([1-9一二三四五六七八九①-⑨])\s*(?:个|条|号|项)?$/iu.exec(trimmed)
  if (!match) return null
  const digit = match[1]!
  const index = [...'123456789'].indexOf(digit) + 1 || chineseDigits.indexOf(digit) + 1 || circled.indexOf(digit) + 1
  return index > 0 ? index : null
}

/**
 * The question the user picked by answering the bot's ask-back with its number: the latest
 * message is a number, and the bot's reply before it asked back about the same person's question
 * (in a conversation a group shares, another member's number does not answer it).
 */
export function chosenQuestion(history: ReadonlyArray<HistoryItem>): string | null {
  const latest = history.at(-1)
  if (!latest || latest.role !== 'user') return null
  const number = chosenNumber(latest.text)
  if (number === null) return null
  const askedAt = history.findLastIndex((item) => item.role !== 'user')
  const offered = askedAt < 0 ? null : offeredQuestions(history[askedAt]!.text)
  if (!offered || number > offered.length) return null
  const askedBy = history.slice(0, askedAt).findLast((item) => item.role === 'user')
  if (askedBy && askedBy.author !== latest.author) return null
  return offered[number - 1]!
}

/**
 * An ask-back reply's parts, for a channel that shows the choices as a menu (WeCom's msgmenu):
 * its first line, the questions, and the line after them; null when `text` is not one.
 */
export function askBackMenu(text: string): { head: string; questions: string[]; tail: string } | null {
  const questions = offeredQuestions(text)
  if (!questions) return null
  const lines = text.split('\n').map((line) => line.trim())
  const last = lines.at(-1) ?? ''
  return { head: lines[0]!, questions, tail: option.test(last) ? '' : last }
}
