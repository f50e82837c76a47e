import { characterPairs, dice } from './character-pairs.js'
import { pinyin } from 'pinyin-pro'
import { normalize } from './normalize.js'
import { addWords, analyseQuery, askedWords, broaderWord, characterTerms, isName, isStopword, wordOf, words } from './segment.js'

/** A chunk as the index reads it. */
export interface IndexedChunk {
  id: string
  document: string
  kind: 'passage' | 'faq'
  heading: string
  text: string
  question: string | null
  answer: string | null
  /** More wordings of an FAQ entry's question (相似问法), searched as its question. */
  similar?: string[]
}

/** What a bot adds to retrieval: its own synonym groups, each mapped to its first word. */
export interface IndexOptions {
  synonyms?: readonly string[][]
}

/** A chunk's score for a query, with the signals it is made of (all 0–1 but `bm25`). */
export interface LexicalMatch {
  chunk: IndexedChunk
  score: number
  bm25: number
  /** The query's words found in the chunk, weighted by how much each tells (IDF). */
  coverage: number
  /** The FAQ question's (or heading's) words found in the query, likewise. */
  titleCoverage: number
  /** Character-bigram closeness of the query to the FAQ question or heading. */
  closeness: number
}

interface Field {
  terms: Map<string, number>
  length: number
}

interface Wording {
  terms: Set<string>
  /** Its words written only as question words (几点 for 时间), with how much each counts. */
  asked: Map<string, number>
  bigrams: Set<string>
}

interface Entry {
  chunk: IndexedChunk
  /** The FAQ question with its similar questions, or a passage's heading. */
  title: Field
  /** Each wording of the title apart: closeness and title coverage take the best. */
  wordings: Wording[]
  /** The FAQ answer, or a passage's text. */
  body: Field
}

// BM25F: a word in the FAQ question counts three times one in the answer.
const k1 = 1.2
const titleBoost = 3
const titleB = 0.5
const bodyB = 0.75
// How much a word in the body alone counts toward coverage, against one in the question.
const bodyOnly = { faq: 0.6, passage: 0.9 }
// A character of a query word found where the word is not.
const characterWeight = 0.25
const singleCharacterWeight = 0.6
// How much the FAQ question's own match decides the score, against the coverage of the query.
const specificWeight = 0.45

const quoted = /[“「《『"]([^”」》』"\n]{2,12})[”」》』"]/gu

/** The short names a text sets off in quotes or title marks. */
export function namedTerms(text: string): string[] {
  return [...text.matchAll(quoted)].map((match) => match[1]!.trim()).filter((term) => /\p{Script=Han}/u.test(term))
}

function field(list: string[]): Field {
  const terms = new Map<string, number>()
  for (const term of list) terms.set(term, (terms.get(term) ?? 0) + 1)
  return { terms, length: list.length }
}

/** A bot's synonym groups as a map from each word (as `words()` gives it) to its group's first word. */
function botSynonyms(groups: readonly string[][]): Map<string, string> {
  addWords(groups.flat())
  const canonical = new Map<string, string>()
  for (const group of groups) {
    const first = wordOf(group[0] ?? '')
    for (const word of group) if (!canonical.has(wordOf(word))) canonical.set(wordOf(word), first)
  }
  return canonical
}

function withCharacters(list: string[]): string[] {
  return [...list, ...characterTerms(list)]
}

/** How specific a query word is by its form: longer words more than short ones. */
function formWeight(word: string): number {
  if (/^\p{Script=Han}+$/u.test(word)) return Math.min(word.length, 3)
  // A number narrows a question (9点, 2个人) more than it says what it is about.
  if (/^\d+$/.test(word)) return 0.5
  return word.length >= 4 ? 2 : 1
}

// How many queries' analyses an index keeps.
const rememberedQueries = 16
/** A message longer than this is searched by its start: a question is shorter, and the work grows with the length. */
export const maxQueryChars = 2000

/** What a query is made of, for scoring: its words, and how much each weighs. */
interface Analysis {
  words: string[]
  weightOf: (word: string) => number
}

interface Concept {
  /** The word, and the broader word it also stands for. */
  forms: string[]
  weight: number
  /** Its characters, when it is a Chinese word: a weak match where the word is not found. */
  characters: string[]
}

/**
 * Lexical retrieval over one bot's chunks, in memory: BM25F over the FAQ question (or heading)
 * and the answer (or text), IDF-weighted coverage of the query in both directions, and
 * character-bigram closeness to the question, blended into a score in 0–1 that says how sure the
 * match is, not only how it ranks.
 */
export class LexicalIndex {
  private readonly entries: Entry[]
  private readonly documentFrequency = new Map<string, number>()
  private readonly averageTitle: number
  private readonly averageBody: number
  private readonly byId: Map<string, Entry>
  private readonly synonyms: Map<string, string>
  private readonly names: Set<string>

  constructor(chunks: IndexedChunk[], options: IndexOptions = {}) {
    this.synonyms = botSynonyms(options.synonyms ?? [])
    // Names the documents set off (“西湖旅行社”, 《导游服务指南》, 「湖畔雅居」) stay whole words.
    this.names = new Set(chunks.flatMap((chunk) => namedTerms(`${chunk.heading}\n${chunk.text}`)).map((name) => normalize(name)))
    addWords(this.names)
    this.entries = chunks.map((chunk) => {
      const titles = chunk.kind === 'faq' ? [chunk.question ?? '', ...(chunk.similar ?? [])] : [chunk.heading]
      const body = chunk.kind === 'faq' ? (chunk.answer ?? '') : chunk.text
      const titleWords = titles.map((title) => withCharacters(this.words(title)))
      return {
        chunk,
        title: field(titleWords.flat()),
        wordings: titles.map((title, i) => ({
          terms: new Set(titleWords[i]),
          asked: askedWords(title),
          bigrams: characterPairs(this.bigramText(title)),
        })),
        body: field(withCharacters(this.words(body))),
      }
    })
    this.byId = new Map(this.entries.map((entry) => [entry.chunk.id, entry]))
    for (const entry of this.entries) {
      for (const term of new Set([...entry.title.terms.keys(), ...entry.body.terms.keys()])) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1)
      }
    }
    const mean = (values: number[]) => (values.length === 0 ? 1 : Math.max(1, values.reduce((a, b) => a + b, 0) / values.length))
    this.averageTitle = mean(this.entries.map((e) => e.title.length))
    this.averageBody = mean(this.entries.map((e) => e.body.length))
  }

  /**
   * The words of `text`, the bot's own synonyms mapped to their group's first word; the pieces
   * jieba also cuts such a word into (皮鞋 of 皮鞋护理) are left out, so they do not dilute it.
   */
  private words(text: string): string[] {
    return this.mapped(words(text))
  }

  private mapped(list: string[]): string[] {
    if (this.synonyms.size === 0) return list
    const whole = list.filter((word) => this.synonyms.has(word))
    return list
      .filter((word) => this.synonyms.has(word) || !whole.some((w) => w.length > word.length && w.includes(word)))
      .map((word) => this.synonyms.get(word) ?? word)
  }

  /**
   * A query's meaningful words, the bot's own synonyms mapped: a word in Latin letters that the
   * knowledge base writes in Chinese read as its pinyin ("lingyin" → 灵隐寺), and the words that
   * only set the scene (明天, 临时) left out when the knowledge base never uses them.
   */
  private queryWords(query: string): string[] {
    return this.analysed(query).words
  }

  private readonly queries = new Map<string, Analysis>()

  /**
   * A query's words and their weights, worked out once for the search and its unknown share (the
   * last few kept, as a lookup searches a message and its parts); of a long message, its first
   * `maxQueryChars` characters.
   */
  private analysed(query: string): Analysis {
    const text = query.slice(0, maxQueryChars)
    const known = this.queries.get(text)
    if (known) return known
    const { words: meaningful, scene, asked } = analyseQuery(text)
    const list = this.mapped(meaningful).map((word) => (this.known(word) ? word : (this.byPinyin().get(word) ?? word)))
    const topical = list.filter((word) => !scene.has(word) || this.known(word))
    // By its form, less when only a question word stands for it.
    const weightOf = (word: string) => formWeight(word) * (asked.get(word) ?? 1)
    const analysis = { words: [...new Set(topical.length > 0 ? topical : list)], weightOf }
    if (this.queries.size >= rememberedQueries) this.queries.delete(this.queries.keys().next().value!)
    this.queries.set(text, analysis)
    return analysis
  }

  /** Whether a chunk has `word` or the broader word it stands for. */
  private known(word: string): boolean {
    return [word, broaderWord(word)].some((form) => form !== undefined && this.documentFrequency.has(form))
  }

  private pinyinWords: Map<string, string> | undefined

  /**
   * The knowledge base's names by their pinyin, toneless and unspaced, whole and by their first
   * syllables ("hangzhou" → 杭州; "lingyin" → 灵隐寺): English questions write place and product
   * names so. Only names (jieba's place, person and organisation words, and what the documents
   * set off in quotes) and readings of five letters or more: "women" is not 我们 nor "bali" 巴黎.
   * Built on the first Latin query word it is needed for.
   */
  private byPinyin(): Map<string, string> {
    if (this.pinyinWords) return this.pinyinWords
    const found = new Map<string, string>()
    const names = [...this.documentFrequency.keys()]
      .filter((term) => /^\p{Script=Han}{2,6}$/u.test(term) && (this.names.has(term) || isName(term)))
      // The most common names first, so they keep a reading two names share.
      .sort((a, b) => (this.documentFrequency.get(b) ?? 0) - (this.documentFrequency.get(a) ?? 0))
    const readings = names.map((term) => ({ term, syllables: pinyin(term, { toneType: 'none', type: 'array', v: true }) }))
    // Whole readings before first syllables, so a name keeps its own reading.
    for (const { term, syllables } of readings) {
      const whole = syllables.join('')
      if (whole.length >= 5 && !found.has(whole)) found.set(whole, term)
    }
    for (const { term, syllables } of readings) {
      for (let n = 2; n < syllables.length; n++) {
        const start = syllables.slice(0, n).join('')
        if (start.length >= 5 && !found.has(start)) found.set(start, term)
      }
    }
    this.pinyinWords = found
    return found
  }

  /** `text` with each of the bot's own synonyms written as its group's first word, for the closeness of wordings. */
  private bigramText(text: string): string {
    return this.synonyms.size === 0 ? text : this.words(text).join('')
  }

  get size(): number {
    return this.entries.length
  }

  /** The chunk of id `id`, if the index has it. */
  chunk(id: string): IndexedChunk | undefined {
    return this.byId.get(id)?.chunk
  }

  /** Inverse document frequency; a word no chunk has is as telling as the rarest. */
  private idf(term: string): number {
    const n = this.entries.length
    const df = this.documentFrequency.get(term) ?? 0
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  /** The query's meaningful words that no chunk has, in any form (a sign it asks about something else). */
  unknownWords(query: string): string[] {
    return this.queryWords(query).filter((word) => !this.known(word))
  }

  /**
   * The share of the query's weight (as `search` weighs its words) carried by words no chunk has
   * in any form: a query about something the knowledge base never mentions ("黄山", "KTV") has a
   * large one, however well its other words match. One-character words are left out: they are
   * matched by character, not as words.
   */
  unknownShare(query: string): number {
    let unknown = 0
    let total = 0
    const { words: list, weightOf } = this.analysed(query)
    for (const word of list) {
      const forms = [word, broaderWord(word)].filter((form): form is string => form !== undefined)
      const weight = weightOf(word) * Math.max(...forms.map((form) => this.idf(form)))
      total += weight
      if ([...word].length > 1 && !forms.some((form) => this.documentFrequency.has(form))) unknown += weight
    }
    return total === 0 ? 0 : unknown / total
  }

  search(query: string, k: number): LexicalMatch[] {
    const { words: list, weightOf } = this.analysed(query)
    const concepts: Concept[] = list.map((word) => {
      const broader = broaderWord(word)
      return {
        forms: broader ? [word, broader] : [word],
        weight: weightOf(word),
        // A one-character word may be part of a longer one in the chunk ("开" in "开发票").
        characters: /^\p{Script=Han}$/u.test(word) ? [`#${word}`] : characterTerms([word]),
      }
    })
    if (concepts.length === 0 || this.entries.length === 0) return []
    const queryBigrams = characterPairs(this.bigramText(query.slice(0, maxQueryChars)))
    const queryTermSet = new Set(concepts.flatMap((c) => [...c.forms, ...c.characters]))
    const matches: LexicalMatch[] = []
    for (const entry of this.entries) {
      const match = this.score(entry, concepts, queryTermSet, queryBigrams)
      if (match.score > 0) matches.push(match)
    }
    return matches.sort((a, b) => b.score - a.score || b.bm25 - a.bm25).slice(0, k)
  }

  private score(entry: Entry, concepts: Concept[], queryTerms: Set<string>, queryBigrams: Set<string>): LexicalMatch {
    let bm25 = 0
    let found = 0
    let total = 0
    const composed = this.composedWords(entry, queryTerms)
    for (const concept of concepts) {
      const informative = concept.weight * Math.max(...concept.forms.map((f) => this.idf(f)))
      total += informative
      let whole = this.termMatch(entry, concept.forms)
      // Written apart in the query, the question's word still counts whole ("加个床" for "加床").
      const compound = composed.get(concept.forms[0]!)
      if (whole.present === 0 && compound !== undefined) whole = this.termMatch(entry, [compound])
      if (whole.present > 0) {
        bm25 += concept.weight * whole.bm25
        found += informative * whole.present
        continue
      }
      // The word is not there: its characters count a little.
      if (concept.characters.length === 0) continue
      const parts = concept.characters.map((c) => this.termMatch(entry, [c]))
      const share = parts.filter((p) => p.present > 0).length / parts.length
      // A one-character word is mostly short for a longer one ("住" for "入住"): it counts more.
      const credit = concept.forms[0]!.length === 1 ? singleCharacterWeight : characterWeight
      bm25 += credit * concept.weight * (parts.reduce((s, p) => s + p.bm25, 0) / parts.length)
      found += credit * informative * share * Math.max(...parts.map((p) => p.present))
    }
    const coverage = total === 0 ? 0 : found / total
    const titleCoverage = this.titleCoverage(entry, composed.size === 0 ? queryTerms : new Set([...queryTerms, ...composed.values()]))
    const closeness = Math.max(...entry.wordings.map((wording) => dice(queryBigrams, wording.bigrams)))
    // Coverage says whether the chunk answers what was asked; the question's side and the closeness
    // of the wording say whether it is the entry about that, not one that mentions it.
    const specific = entry.chunk.kind === 'faq' ? Math.max(titleCoverage, closeness) : closeness
    const score = coverage * (1 - specificWeight + specificWeight * specific)
    return { chunk: entry.chunk, score, bm25, coverage, titleCoverage, closeness }
  }

  /** BM25F of the first of `forms` the entry has, and how fully it counts (1 in the title, less in the body alone). */
  private termMatch(entry: Entry, forms: string[]): { bm25: number; present: number } {
    for (const form of forms) {
      const inTitle = entry.title.terms.get(form) ?? 0
      const inBody = entry.body.terms.get(form) ?? 0
      if (inTitle + inBody === 0) continue
      const tf =
        (titleBoost * inTitle) / (1 - titleB + (titleB * entry.title.length) / this.averageTitle) +
        inBody / (1 - bodyB + (bodyB * entry.body.length) / this.averageBody)
      return { bm25: (this.idf(form) * tf) / (k1 + tf), present: inTitle > 0 ? 1 : bodyOnly[entry.chunk.kind] }
    }
    return { bm25: 0, present: 0 }
  }

  /**
   * The question's words the query has in two ("加床" in "能加个床吗", "开发票" in "发票怎么开"), each
   * of those query words mapped to that word.
   */
  private composedWords(entry: Entry, queryTerms: Set<string>): Map<string, string> {
    const composed = new Map<string, string>()
    for (const term of entry.title.terms.keys()) {
      if (queryTerms.has(term) || !/^\p{Script=Han}{2,4}$/u.test(term)) continue
      for (let i = 1; i < term.length; i++) {
        const [head, tail] = [term.slice(0, i), term.slice(i)]
        if (!queryTerms.has(head) || !queryTerms.has(tail)) continue
        composed.set(head, term)
        composed.set(tail, term)
      }
    }
    return composed
  }

  /** The share of the title's words (IDF-weighted, characters left out) that the query has, for its best wording. */
  private titleCoverage(entry: Entry, queryTerms: Set<string>): number {
    let best = 0
    for (const wording of entry.wordings) {
      let found = 0
      let total = 0
      const matched = [...wording.terms].filter((term) => term.length > 2 && queryTerms.has(term))
      for (const term of wording.terms) {
        if (term.startsWith('#') || isStopword(term)) continue
        // A piece the segmenter also cut out of a word the query has ("开发" of "开发票") is not a word of its own.
        if (!queryTerms.has(term) && matched.some((word) => word.length > term.length && word.includes(term))) continue
        const weight = this.idf(term) * (wording.asked.get(term) ?? 1)
        total += weight
        if (queryTerms.has(term)) found += weight
      }
      if (total > 0) best = Math.max(best, found / total)
    }
    return best
  }
}
