// Chinese has no spaces between words, so Chorus cuts it into words with jieba (the segmenter
// Chinese search engines start from, through @node-rs/jieba), after normalising the text
// (normalize.ts) and before mapping synonyms to one word (synonyms.ts). The index and the queries
// go through the same steps.
import { createRequire } from 'node:module'
import { Jieba } from '@node-rs/jieba'
import { normalize } from './normalize.js'
import { builtInPhrases, questionWords, Synonyms } from './synonyms.js'

const require = createRequire(import.meta.url)
const synonyms = new Synonyms()

let jieba: Jieba | undefined
const added = new Set<string>()

/** The segmenter, with its dictionary loaded on first use (about 0.4 s) and the synonym table's words in it. */
function segmenter(): Jieba {
  if (!jieba) {
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array }
    jieba = Jieba.withDict(dict)
    addWords(synonyms.words())
  }
  return jieba
}

/**
 * Teaches the segmenter words of a knowledge base (names, product terms) so they are cut whole:
 * "湖畔雅居" stays one word instead of four characters. Words are shared by every bot in the process.
 */
export function addWords(list: Iterable<string>): void {
  const fresh = [...list].map((w) => normalize(w).trim()).filter((w) => w.length > 1 && !/\s/.test(w) && !added.has(w))
  if (fresh.length === 0) return
  for (const word of fresh) added.add(word)
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} 2000 n`).join('\n')))
}

// Words that carry no meaning for retrieval: particles, pronouns, question words, filler.
const stopwords = new Set(
  [
    '的 了 吗 呢 吧 啊 呀 嘛 么 亲 着 过 是 在 有 和 与 及 或 就 都 也 还 又 再 很 太 更 最 把 被 给 让 对 向 从 到 为 以 去 来 吃 用 做 带 能带 好 不 个 已经 的话 一下子 比较 一般 直接 自己',
    '我 你 您 他 她 它 我们 你们 他们 咱们 这 那 这个 那个 这些 那些 哪 哪个 哪些 什么 怎么 怎样 怎么样 如何 为什么 多少 几 请问 请 一下 可以 能 能不能 可不可以 会 要 想 需要 应该 有没有 没有 是不是 能否 可否 行不行 不行 好不好 要不要 会不会 不会 不要 能不 可不 知道 问 问问 告诉 谢谢 麻烦 你好 您好',
    'a an the is are was were be to of in on at for and or with can could do does did how what which who why i you we my your it this that please me us there any have has much many some get need not our they them as by if so also just will would should may after allowed allow ok okay don doesn didn isn aren t s m re ve ll d',
  ]
    .join(' ')
    .split(' '),
)

const wordLike = /[\p{L}\p{N}]/u
const han = /^\p{Script=Han}+$/u
const latin = /^[a-z]+$/

/** An English word without its plural or -ing ending: "rooms" → "room", "parking" stays (it is in the synonym table). */
function stem(word: string): string {
  if (!latin.test(word) || synonyms.of(word) !== word) return word
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

const latinRun = /([\p{Script=Latin}]+)/u
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
// An English phrase of the table, its words apart by spaces or hyphens, its last one maybe plural.
const phrases = new RegExp(
  `\\b(${Object.keys(builtInPhrases)
    .map((phrase) => phrase.split(' ').map(escaped).join('[\\s-]+'))
    .join('|')})s?\\b`,
  'g',
)

// A sentence that speaks of paying: a "visa" in it is the card, not the travel document.
const paying = /刷|付|支付|卡|pay|paying|accept|card|master|cash/
const sentences = /[^。！？!?\n]+[。！？!?\n]*/g

/** `text` with the table's English phrases written as the one word each stands for. */
function joinPhrases(text: string): string {
  return (
    text
      .replace(phrases, (phrase) => {
        const spaced = phrase.replace(/[\s-]+/g, ' ')
        return builtInPhrases[spaced] ?? builtInPhrases[spaced.replace(/s$/, '')] ?? phrase
      })
      // "Visa卡", "可以刷visa吗", "Do you accept Visa?": the card brand is a credit card.
      .replace(/\b(?:visa|master|mastercard)\s*卡/g, '信用卡')
      .replace(sentences, (sentence) => (paying.test(sentence) ? sentence.replace(/\bvisa\b/g, 'creditcard') : sentence))
  )
}

const inTable = (word: string) => synonyms.has(word) || synonyms.broader[word] !== undefined

/**
 * A run of Chinese cut into words: jieba's words, each with the shorter words its search mode
 * also finds inside it (增值税专用发票 gives 专用发票 and 发票 too). Inside a word of the synonym
 * table only those of the table count: "港澳同胞" is not "同胞", "新能源汽车" not "能源", but
 * "支付宝" is still paying (支付).
 */
function chineseWords(run: string): string[] {
  return segmenter()
    .cut(run, false)
    .flatMap((word) => {
      const found = segmenter().cutForSearch(word, false)
      return inTable(word) ? found.filter((piece) => piece === word || inTable(piece)) : found
    })
}

/**
 * The words of `text`, normalised, punctuation and spaces dropped, each synonym as its group's
 * word. Latin words are taken whole (English phrases of the table as one); the rest goes
 * through jieba (which would cut "iphone" into "i" and "phone").
 */
export function words(text: string): string[] {
  return wordForms(joinPhrases(normalize(text))).map(({ word }) => word)
}

type WordForm = { form: string; word: string }

/** The words of `joined` (normalised, phrases joined), each with the form it was written in. */
function wordForms(joined: string): WordForm[] {
  const found: WordForm[] = []
  for (const [i, run] of joined.split(latinRun).entries()) {
    // split() with a capturing group puts the Latin words at the odd positions.
    const parts = i % 2 === 1 ? [run] : chineseWords(run)
    for (const part of parts) if (wordLike.test(part)) found.push({ form: part, word: synonyms.of(stem(part)) })
  }
  return found
}

// How much a word written only as a question word counts against the same word written out.
const askedWeight = 0.5
// A place asked for before what is done there ("在哪下单", "在哪儿吃早饭") asks about doing it, not for an address.
const placeOfActionWeight = 0.25
const placeQuestionWords = new Set(['在哪', '在哪里', '在哪儿', '哪里', '哪儿'])

/**
 * The words of `text` written only as question words ("在哪儿" for 地址, "几点" for 时间), each with
 * how much it counts: they say what kind of answer is wanted, not what the question is about.
 */
export function askedWords(text: string): Map<string, number> {
  const joined = joinPhrases(normalize(text))
  return askedIn(joined, wordForms(joined))
}

/** `askedWords` of `joined`, whose word forms are `forms`. */
function askedIn(joined: string, forms: WordForm[]): Map<string, number> {
  const asked = new Map<string, number>()
  for (const { form, word } of forms) if (questionWords.has(form)) asked.set(word, askedWeight)
  for (const { form, word } of forms) if (!questionWords.has(form)) asked.delete(word)
  if (asked.size === 0) return asked
  for (const clause of joined.split(/[^\p{L}\p{N}]+/u)) {
    const tokens = segmenter().cut(clause, false)
    // Whether a word that says what is done comes later in the clause, from the end back.
    let actionLater = false
    for (let i = tokens.length - 1; i >= 0; i--) {
      const token = tokens[i]!
      const word = synonyms.of(token)
      if (actionLater && placeQuestionWords.has(token) && asked.has(word)) asked.set(word, placeOfActionWeight)
      actionLater ||= wordLike.test(token) && !stopwords.has(token) && !questionWords.has(token)
    }
  }
  return asked
}

// Words that only say when, relative to now: they never make a question about something else.
// Festivals, hours and dates are not among them (春节, 凌晨 and 元旦 may well be what is asked).
const relativeTimes = new Set(
  '今天 明天 后天 昨天 前天 今晚 明晚 今早 明早 今天上午 明天上午 早上 上午 中午 下午 晚上 傍晚 待会 待会儿 一会 一会儿 现在 刚才 刚刚 马上 等下 等会 回头 到时候 这周 下周 上周 本周 这个月 下个月 临时 突然'.split(
    ' ',
  ),
)

/**
 * The words of `text` that only say when, relative to now (明天, 下周, 临时): a query's such words
 * that the knowledge base never uses are left out of its search, so "明天想晚点退房" is judged by
 * what it asks, not by "明天". Words of the synonym table never are.
 */
export function sceneWords(text: string): Set<string> {
  return sceneIn(words(text))
}

function sceneIn(list: string[]): Set<string> {
  return new Set(list.filter((word) => relativeTimes.has(word) && !synonyms.has(word)))
}

// jieba's tags of names: places, people, organisations, other proper nouns.
const nameTags = new Set(['ns', 'nr', 'nrt', 'nrfg', 'nt', 'nz'])

/** Whether jieba takes `word` for one name (杭州, 灵隐寺), not a common word (我们, 素食). */
export function isName(word: string): boolean {
  const tagged = segmenter().tag(normalize(word), false)
  return tagged.length === 1 && nameTags.has(tagged[0]!.tag) && !stopwords.has(word)
}

/**
 * The characters of Chinese words, as extra terms marked with `#`: "退票" still shares "#退"
 * with "退款" when the words differ, which whole words alone would miss.
 */
function characters(list: string[]): string[] {
  return list.filter((w) => w.length > 1 && han.test(w)).flatMap((w) => [...w].map((c) => `#${c}`))
}

/** `text` as the index stores it: its words, then the characters of its Chinese words, separated by spaces. */
export function searchText(text: string): string {
  const list = words(text)
  return [...list, ...characters(list)].join(' ')
}

/** Whether `word` carries no meaning for retrieval (a particle, a pronoun, a question word). */
export function isStopword(word: string): boolean {
  return stopwords.has(word)
}

/** The distinct meaningful words of a query (its stopwords too if nothing else is left; none for a number alone). */
export function queryWords(query: string): string[] {
  return meaningfulIn(words(query))
}

/** `queryWords` of a query whose words are `list`. */
function meaningfulIn(list: string[]): string[] {
  const all = [...new Set(list)]
  // A number alone ("1", "2点") asks nothing by itself: it only narrows a question.
  if (all.every((w) => /^\d+$/.test(w) || stopwords.has(w)) && all.some((w) => /^\d+$/.test(w))) return []
  const meaningful = all.filter((w) => !stopwords.has(w))
  return meaningful.length > 0 ? meaningful : all
}

/**
 * A query as retrieval weighs it, from one segmentation: its meaningful words (`queryWords`),
 * those that only say when (`sceneWords`) and those written only as question words, with their
 * weights (`askedWords`).
 */
export function analyseQuery(query: string): { words: string[]; scene: Set<string>; asked: Map<string, number> } {
  const joined = joinPhrases(normalize(query))
  const forms = wordForms(joined)
  const list = forms.map(({ word }) => word)
  return { words: meaningfulIn(list), scene: sceneIn(list), asked: askedIn(joined, forms) }
}

/** A query's words and their characters, as the full-text candidates are looked up. */
export function queryTerms(query: string): string[] {
  const chosen = queryWords(query)
  return [...chosen, ...new Set(characters(chosen))]
}

/** One word as `words()` gives it (normalised, stemmed, its synonym group's word): for a bot's own synonym table. */
export function wordOf(word: string): string {
  return synonyms.of(stem(normalize(word).trim()))
}

/** The broader word a query word also stands for ("猫" → "宠物"), if any. */
export function broaderWord(word: string): string | undefined {
  const broader = synonyms.broader[word]
  return broader === undefined ? undefined : synonyms.of(broader)
}

export { characters as characterTerms }
