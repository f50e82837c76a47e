import { KnowledgeAnswerer } from '@chorus/knowledge'
import type { ReplicaStatus } from '@chorus/pool'
import { assistModel, knowledgeEngineKind } from './assist-model.js'

const replica = (id: string, engine: string, model: string, extra: Partial<ReplicaStatus> = {}): ReplicaStatus => ({
  id,
  engine,
  model,
  capacity: 4,
  inFlight: 0,
  down: false,
  serviceMs: 0,
  lastSeen: Date.now(),
  load: 0,
  ...extra,
})

describe('assistModel', () => {
  it('knows the kind the knowledge answerer reports', () => {
    expect(new KnowledgeAnswerer().kind).toBe(knowledgeEngineKind)
  })

  it('finds no model in a pool of knowledge answerers only, or an empty pool', () => {
    expect(assistModel([replica('w1', 'knowledge', 'chorus-knowledge'), replica('w2', 'knowledge', 'chorus-knowledge')], '')).toBeNull()
    expect(assistModel([], '')).toBeNull()
  })

  it('routes to a model beside the knowledge answerers, preferring the bot’s own, else the one with the most room', () => {
    const pool = [
      replica('w1', 'knowledge', 'chorus-knowledge'),
      replica('w2', 'openai-compatible', 'qwen', { load: 4 }),
      replica('w3', 'llama-cpp', 'tiny', { load: 1 }),
    ]
    expect(assistModel(pool, '')).toBe('tiny')
    expect(assistModel(pool, 'qwen')).toBe('qwen')
    expect(assistModel(pool, 'chorus-knowledge')).toBe('tiny')
  })

  it('still routes to a model whose replicas are all down: the pool has one, the prompt waits or fails as before', () => {
    expect(assistModel([replica('w1', 'llama-cpp', 'tiny', { down: true })], '')).toBe('tiny')
  })

  it('never picks a model name a knowledge answerer reports too', () => {
    expect(assistModel([replica('w1', 'knowledge', 'shared'), replica('w2', 'llama-cpp', 'shared')], 'shared')).toBeNull()
  })
})
