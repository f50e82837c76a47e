import { LlamaCppEmbedder } from '@chorus/llm'
import { OpenAIEmbedder } from './openai-embedder.js'
import type { Embedder } from './vector-index.js'

/** The variables that choose how knowledge is embedded (packages/config validates them). */
export interface EmbeddingConfig {
  CHORUS_EMBEDDING_URL?: string
  CHORUS_EMBEDDING_MODEL?: string
  CHORUS_EMBEDDING_API_KEY?: string
  CHORUS_EMBEDDING_GGUF?: string
}

/** Where a configuration warning goes: the app's pino logger. */
export interface ConfigWarnings {
  warn(details: object, message: string): void
}

/**
 * The embedder the configuration names: an OpenAI-compatible endpoint (CHORUS_EMBEDDING_URL),
 * else a local GGUF model through node-llama-cpp (CHORUS_EMBEDDING_GGUF, loaded on first use),
 * else none, and retrieval is lexical alone. The URL wins when both are set, with one warning.
 */
export function embedderFromConfig(config: EmbeddingConfig, warnings?: ConfigWarnings): Embedder | undefined {
  if (config.CHORUS_EMBEDDING_URL) {
    if (config.CHORUS_EMBEDDING_GGUF) {
      warnings?.warn(
        { embeddingUrl: config.CHORUS_EMBEDDING_URL },
        'CHORUS_EMBEDDING_GGUF is ignored: CHORUS_EMBEDDING_URL is set and wins over it',
      )
    }
    return new OpenAIEmbedder({
      baseUrl: config.CHORUS_EMBEDDING_URL,
      model: config.CHORUS_EMBEDDING_MODEL ?? 'default',
      apiKey: config.CHORUS_EMBEDDING_API_KEY,
    })
  }
  if (config.CHORUS_EMBEDDING_GGUF) return new LlamaCppEmbedder({ modelPath: config.CHORUS_EMBEDDING_GGUF })
  return undefined
}
