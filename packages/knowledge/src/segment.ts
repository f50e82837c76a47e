// PostgreSQL's text-search parsers do not split Chinese into words, so Chorus does, with ICU's
// dictionary-based word segmentation (Intl.Segmenter), and indexes the words separated by spaces.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

// Words that carry no meaning for retrieval: particles, pronouns, question words, filler.
const stopwords = new Set(
  [
    '的 了 吗 呢 吧 啊 呀 嘛 么 着 过 是 在 有 和 与 及 或 就 都 也 还 又 再 很 太 更 最 把 被 给 让 对 向 从 到 为 以',
    '我 你 您 他 她 它 我们 你们 他们 咱们 这 那 这个 那个 这些 那些 哪 哪个 什么 怎么 怎样 如何 为什么 多少 几 请问 请 一下 可以 能 能不能 可不可以 会 要 想 需要 应该',
    'a an the is are was were be to of in on at for and or with can could do does how what when where which who why i you we my your it this that please',
  ]
    .join(' ')
    .split(' '),
)

/** The words of `text`, lowercased, punctuation and spaces dropped. */
export function words(text: string): string[] {
  const found: string[] = []
  for (const part of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (part.isWordLike) found.push(part.segment)
  }
  return found
}

const han = /^\p{Script=Han}+$/u

/**
 * The characters of Chinese words, as extra index terms marked with `#`: "退票" still shares
 * "#退" with "退款" when the segmenter's words differ, which whole words alone would miss.
 */
function characters(list: string[]): string[] {
  return list.filter((w) => w.length > 1 && han.test(w)).flatMap((w) => [...w].map((c) => `#${c}`))
}

/** `text` as the index stores it: its words, then the characters of its Chinese words, separated by spaces. */
export function searchText(text: string): string {
  const list = words(text)
  return [...list, ...characters(list)].join(' ')
}

/** The distinct meaningful words of a query (its stopwords too if nothing else is left), and their characters. */
export function queryTerms(query: string): string[] {
  const all = [...new Set(words(query))]
  const meaningful = all.filter((w) => !stopwords.has(w))
  const chosen = meaningful.length > 0 ? meaningful : all
  return [...chosen, ...new Set(characters(chosen))]
}

/** How much a term tells: longer words are more specific than single characters, and a character of a word least. */
export function termWeight(term: string): number {
  if (term.startsWith('#')) return 0.4
  return han.test(term) ? Math.min(term.length, 3) : term.length >= 4 ? 2 : 1
}
