import { decideAnswer } from './answer-decision.js'
import type { KnowledgeHit } from './knowledge-search.js'

const hit = (question: string, score: number): KnowledgeHit => ({
  chunkId: question,
  document: 'FAQ',
  heading: '',
  text: question,
  kind: 'faq',
  question,
  answer: 'answer',
  score,
})

describe('the answer decision’s margin and familiarity', () => {
  it('answers a clear leader just under the threshold', () => {
    expect(decideAnswer([hit('A', 0.3), hit('B', 0.1)], 0.35)).toEqual({ kind: 'answer', sources: [hit('A', 0.3)] })
  })

  it('says nothing was found just under the threshold when the runner-up is not far behind', () => {
    expect(decideAnswer([hit('A', 0.3), hit('B', 0.26)], 0.35)).toEqual({ kind: 'none' })
  })

  it('does not ask back about a query most of which the knowledge base has no word for', () => {
    const hits = [hit('A', 0.6), hit('B', 0.58)]
    expect(decideAnswer(hits, 0.35).kind).toBe('ask')
    expect(decideAnswer(hits, 0.35, { unknownShare: 0.7 })).toEqual({ kind: 'none' })
  })

  it('answers an unfamiliar query only with a clear leader above the threshold', () => {
    expect(decideAnswer([hit('A', 0.45), hit('B', 0.39)], 0.35, { unknownShare: 0.7 })).toEqual({ kind: 'none' })
    expect(decideAnswer([hit('A', 0.45), hit('B', 0.2)], 0.35, { unknownShare: 0.7 }).kind).toBe('answer')
    expect(decideAnswer([hit('A', 0.3), hit('B', 0.1)], 0.35, { unknownShare: 0.7 })).toEqual({ kind: 'none' })
  })
})
