import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * One question of an evaluation set, with the FAQ question that answers it, the questions (in
 * the order asked) when it asks several things at once, or null when the FAQ has no answer.
 */
export interface EvalCase {
  query: string
  expected: string | string[] | null
}

/** An evaluation set: a FAQ sheet and questions people might ask about it. */
export interface EvalSet {
  name: string
  title: string
  filename: string
  csv: Buffer
  cases: EvalCase[]
  /**
   * Written blind (from the FAQ alone) after retrieval was tuned on the other sets, and never
   * tuned against: what the figures are on questions nobody looked at while tuning.
   */
  heldOut?: boolean
}

// Found through the package, not this file: bundled into an app, this code runs from apps/<app>/dist.
const dataDir = () => join(dirname(createRequire(import.meta.url).resolve('@chorus/knowledge/package.json')), 'data')

/** The demo knowledge: the FAQ sheet of 西湖旅行社, a fictional Hangzhou travel agency. */
export function demoKnowledge(): { title: string; csv: Buffer } {
  return { title: '西湖旅行社常见问题', csv: readFileSync(join(dataDir(), 'travel-faq.csv')) }
}

/** Questions users might type to the demo bot, to measure how well retrieval finds the right FAQ. */
export function evalSet(): EvalCase[] {
  return readCases('travel-eval.json')
}

/**
 * Every evaluation set (`npm run eval`): the demo travel agency's, and a hotel's in the same
 * language but another trade, so that retrieval is not tuned to one FAQ; then a held-out set of
 * other questions for each of the two FAQs.
 */
export function evalSets(): EvalSet[] {
  const travel = { filename: 'travel-faq.csv', ...demoKnowledge() }
  const hotel = { title: '湖畔雅居酒店常见问题', filename: 'hotel-faq.csv', csv: readFileSync(join(dataDir(), 'hotel-faq.csv')) }
  return [
    { name: 'travel', ...travel, cases: evalSet() },
    { name: 'hotel', ...hotel, cases: readCases('hotel-eval.json') },
    { name: 'travel-heldout', ...travel, cases: readCases('travel-heldout.json'), heldOut: true },
    { name: 'hotel-heldout', ...hotel, cases: readCases('hotel-heldout.json'), heldOut: true },
  ]
}

function readCases(file: string): EvalCase[] {
  const cases: unknown = JSON.parse(readFileSync(join(dataDir(), file), 'utf8'))
  if (!Array.isArray(cases) || !cases.every(isEvalCase)) throw new Error(`data/${file} is not a list of { query, expected }`)
  return cases
}

function isEvalCase(value: unknown): value is EvalCase {
  if (typeof value !== 'object' || value === null) return false
  const { query, expected } = value as Record<string, unknown>
  const question = (x: unknown) => typeof x === 'string'
  return question(query) && (question(expected) || expected === null || (Array.isArray(expected) && expected.every(question)))
}
