import type { BotSettings } from '@chorus/protocol'
import { t, type TextKey } from './i18n.js'

/** What a message that asks nothing is: the bot answers it itself, and it never counts as a failed answer. */
export type SmallTalk = 'greeting' | 'thanks' | 'acknowledgement' | 'farewell'

// Words as they are after normalising (lower case; spaces, punctuation and emoji removed).
const words: Record<SmallTalk, string[]> = {
  greeting: [
    ...[
      '你好',
      '您好',
      '你们好',
      '大家好',
      '你好吗',
      '您好吗',
      '哈喽',
      '哈啰',
      '嗨',
      '在吗',
      '在么',
      '在嘛',
      '在不在',
      '有人吗',
      '有人在吗',
    ],
    ...['早', '早安', '早上好', '上午好', '中午好', '下午好', '晚上好'],
    ...['hi', 'hello', 'hey', 'hallo', 'hiya', 'morning', 'goodmorning', 'goodafternoon', 'goodevening'],
  ],
  thanks: [
    ...['谢谢', '谢', '多谢', '感谢', '感恩', '辛苦', '3q'],
    ...['thanks', 'thank', 'thankyou', 'thx', 'thnx', 'tks', 'ty', 'cheers'],
  ],
  acknowledgement: [
    ...['好', '好的', '好滴', '好嘞', '好吧', '行', '可以', '收到', '明白', '知道', '了解', '懂', '嗯', '嗯嗯'],
    ...['ok', 'okay', 'okk', 'gotit', 'noted', 'sure', 'alright', 'cool', 'great'],
  ],
  farewell: [
    ...['再见', '拜拜', '拜', '回头见', '下次见', '晚安', '88', '886'],
    ...['bye', 'byebye', 'goodbye', 'seeyou', 'seeya', 'goodnight'],
  ],
}

// Allowed around those words ("谢谢你啦", "thank you so much"), never enough on their own.
const fillers = [
  ...['啊', '呀', '哈', '哈哈', '啦', '了', '呢', '哦', '喔', '噢', '嘛', '吖', '哇', '嘿', '你', '您', '亲', '大家'],
  ...['there', 'you', 'u', 'so', 'much', 'very', 'alot', 'again', 'all', 'guys', 'everyone', 'dear'],
]

// When several are said at once ("好的，谢谢"), the one the answer should acknowledge.
const precedence: SmallTalk[] = ['farewell', 'thanks', 'greeting', 'acknowledgement']

const vocabulary = new Map<string, SmallTalk | 'filler'>([
  ...fillers.map((word) => [word, 'filler'] as const),
  ...Object.entries(words).flatMap(([kind, list]) => list.map((word) => [word, kind as SmallTalk] as const)),
])
const longestWord = Math.max(...[...vocabulary.keys()].map((word) => word.length))

// Longer than this once normalised, a message says more than hello or thanks.
const maxLength = 24

/** Lower case, without spaces, punctuation, symbols, emoji and WeChat's bracketed emoticons ("[微笑]"). */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/\[[^[\]\s]{1,8}\]/g, '')
    .replace(/[\p{P}\p{S}\p{Z}\s\p{Extended_Pictographic}\u200d\ufe0f]/gu, '')
}

/**
 * Whether `text` is only a greeting, thanks, an acknowledgement or a goodbye (in Chinese or
 * English, with punctuation, emoji, the bot's name and particles around it), and which; null for
 * anything else. Conservative: every part of the message must be such a word, so "你好，我想问退房时间"
 * is a question.
 */
export function smallTalkOf(text: string, botName = ''): SmallTalk | null {
  const name = normalise(botName)
  let rest = normalise(text)
  if (rest.length === 0 || rest.length > maxLength) return null
  const said = new Set<SmallTalk>()
  while (rest.length > 0) {
    if (name && rest.startsWith(name)) {
      rest = rest.slice(name.length)
      continue
    }
    // The longest word the rest starts with: "thankyou" before "thank", "你好" before "好".
    let length = Math.min(longestWord, rest.length)
    while (length > 0 && !vocabulary.has(rest.slice(0, length))) length--
    if (length === 0) return null
    const kind = vocabulary.get(rest.slice(0, length))!
    if (kind !== 'filler') said.add(kind)
    rest = rest.slice(length)
  }
  return precedence.find((kind) => said.has(kind)) ?? null
}

const replies: Record<SmallTalk, TextKey> = {
  greeting: 'smallTalkGreeting',
  thanks: 'smallTalkThanks',
  acknowledgement: 'smallTalkAcknowledgement',
  farewell: 'smallTalkFarewell',
}

/** The bot's own short, friendly answer to small talk, in its language. */
export function smallTalkReply(kind: SmallTalk, language: BotSettings['language'], botName: string): string {
  return t(replies[kind], language, { bot: botName })
}
