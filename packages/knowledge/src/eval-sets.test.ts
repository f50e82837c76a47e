import { readFileSync } from 'node:fs'
import { parseFaqCsv } from './faq-csv.js'

interface EvalCase {
  query: string
  expected: string | string[] | null
}

/** A set by name: travel, hotel, or either with `-heldout` (the same FAQ, other questions). */
function loadSet(name: string) {
  const read = (file: string) => readFileSync(new URL(`../data/${file}`, import.meta.url), 'utf8').replace(/^\ufeff/, '')
  const [faqName] = name.split('-')
  const questions = parseFaqCsv(read(`${faqName}-faq.csv`), `${faqName}-faq.csv`).map((faq) => faq.question)
  const cases = JSON.parse(read(name.endsWith('-heldout') ? `${name}.json` : `${name}-eval.json`)) as EvalCase[]
  return { questions, cases }
}

const expectedQuestions = ({ expected }: EvalCase): string[] => (expected === null ? [] : [expected].flat())

describe.each(['travel', 'hotel', 'travel-heldout', 'hotel-heldout'])('the %s evaluation set', (name) => {
  const { questions, cases } = loadSet(name)

  it('is a list of queries, each expecting no answer, one FAQ question or several', () => {
    const malformed = cases.filter(
      ({ query, expected }) =>
        typeof query !== 'string' ||
        !(expected === null || typeof expected === 'string' || (Array.isArray(expected) && expected.length >= 2)),
    )
    expect(malformed).toEqual([])
  })

  it('expects only questions that are in its FAQ, verbatim', () => {
    const unknown = cases.flatMap(expectedQuestions).filter((question) => !questions.includes(question))
    expect(unknown).toEqual([])
  })

  it('asks each query once', () => {
    const queries = cases.map((c) => c.query)
    expect(queries.filter((query, i) => queries.indexOf(query) !== i)).toEqual([])
  })
})

describe('the hotel evaluation set, as a second domain', () => {
  const { questions, cases } = loadSet('hotel')
  const answerable = cases.filter((c) => c.expected !== null)

  it('is large enough to measure retrieval', () => {
    expect(questions.length).toBeGreaterThanOrEqual(30)
    expect(answerable.length).toBeGreaterThanOrEqual(60)
    expect(cases.filter((c) => c.expected === null).length).toBeGreaterThanOrEqual(15)
  })

  it('has multi-part questions and questions in English', () => {
    expect(cases.filter((c) => Array.isArray(c.expected)).length).toBeGreaterThanOrEqual(5)
    expect(cases.filter((c) => /^[\x20-\x7e]*[a-z][\x20-\x7e]*$/i.test(c.query)).length).toBeGreaterThanOrEqual(6)
  })

  it('asks about every FAQ entry at least once', () => {
    const asked = new Set(answerable.flatMap(expectedQuestions))
    expect(questions.filter((question) => !asked.has(question))).toEqual([])
  })
})
