import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** One question of the evaluation set, with the FAQ question that answers it (null: the FAQ has no answer). */
export interface EvalCase {
  query: string
  expected: string | null
}

// Found through the package, not this file: bundled into an app, this code runs from apps/<app>/dist.
const dataDir = () => join(dirname(createRequire(import.meta.url).resolve('@chorus/knowledge/package.json')), 'data')

/** The demo knowledge: the FAQ sheet of 西湖旅行社, a fictional Hangzhou travel agency. */
export function demoKnowledge(): { title: string; csv: Buffer } {
  return { title: '西湖旅行社常见问题', csv: readFileSync(join(dataDir(), 'travel-faq.csv')) }
}

/** Questions users might type to the demo bot, to measure how well retrieval finds the right FAQ. */
export function evalSet(): EvalCase[] {
  const cases: unknown = JSON.parse(readFileSync(join(dataDir(), 'travel-eval.json'), 'utf8'))
  if (!Array.isArray(cases) || !cases.every(isEvalCase)) throw new Error('data/travel-eval.json is not a list of { query, expected }')
  return cases
}

function isEvalCase(value: unknown): value is EvalCase {
  if (typeof value !== 'object' || value === null) return false
  const { query, expected } = value as Record<string, unknown>
  return typeof query === 'string' && (typeof expected === 'string' || expected === null)
}
