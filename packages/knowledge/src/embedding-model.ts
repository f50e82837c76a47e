import { basename } from 'node:path'
import { estimateTokens } from '@chorus/llm'
import type { EmbeddingConfig } from './embedder-from-config.js'
import type { Embedder } from './vector-index.js'

/** The configured embedding model as `/v1/embeddings` serves it: the embedder knowledge uses, by name. */
export class EmbeddingModel {
  constructor(
    /** The model's name: CHORUS_EMBEDDING_MODEL at an endpoint, the GGUF file's name locally. */
    readonly name: string,
    private readonly embedder: Embedder,
  ) {}

  /** One vector per text, in order, and the texts' tokens (estimated as knowledge counts them). */
  async embed(texts: string[]): Promise<{ vectors: Float32Array[]; promptTokens: number }> {
    const vectors = await this.embedder.embed(texts)
    return { vectors, promptTokens: texts.reduce((n, text) => n + estimateTokens(text), 0) }
  }
}

/** The name the configured embedding model is served under (the one embedderFromConfig chose). */
export function embeddingModelName(config: EmbeddingConfig): string {
  if (config.CHORUS_EMBEDDING_URL || !config.CHORUS_EMBEDDING_GGUF) return config.CHORUS_EMBEDDING_MODEL ?? 'default'
  return basename(config.CHORUS_EMBEDDING_GGUF).replace(/\.gguf$/i, '')
}
