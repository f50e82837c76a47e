import { LlamaCppEmbedder } from '@chorus/llm'
import { embedderFromConfig } from './embedder-from-config.js'
import { OpenAIEmbedder } from './openai-embedder.js'

function collectingWarnings() {
  const lines: string[] = []
  return { lines, warn: (_details: object, message: string) => lines.push(message) }
}

describe('embedderFromConfig', () => {
  it('embeds nothing when no embedder is configured', () => {
    expect(embedderFromConfig({})).toBeUndefined()
  })

  it('uses the embedding endpoint when CHORUS_EMBEDDING_URL is set', () => {
    expect(embedderFromConfig({ CHORUS_EMBEDDING_URL: 'http://embed:8080/v1' })).toBeInstanceOf(OpenAIEmbedder)
  })

  it('uses a local model when CHORUS_EMBEDDING_GGUF is set, without loading it yet', () => {
    // No such file: loading is left to the first embedding, so constructing it must not fail.
    expect(embedderFromConfig({ CHORUS_EMBEDDING_GGUF: '/models/not-loaded-yet.gguf' })).toBeInstanceOf(LlamaCppEmbedder)
  })

  it('lets CHORUS_EMBEDDING_URL win over CHORUS_EMBEDDING_GGUF, and says so once', () => {
    const warnings = collectingWarnings()

    const embedder = embedderFromConfig(
      { CHORUS_EMBEDDING_URL: 'http://embed:8080/v1', CHORUS_EMBEDDING_GGUF: '/models/bge-m3-q8_0.gguf' },
      warnings,
    )

    expect(embedder).toBeInstanceOf(OpenAIEmbedder)
    expect(warnings.lines).toEqual(['CHORUS_EMBEDDING_GGUF is ignored: CHORUS_EMBEDDING_URL is set and wins over it'])
  })
})
