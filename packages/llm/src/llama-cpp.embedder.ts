import { availableParallelism } from 'node:os'
import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp'
import { llamaRuntime } from './llama-runtime.js'

export interface LlamaCppEmbedderOptions {
  /** A GGUF embedding model (bge, e5, …). */
  modelPath: string
  /** Tokens the model sees of one text; longer texts are cut. Default: its trained context, at most 1024. */
  contextSize?: number
  /** Never left to node-llama-cpp (it would take 6, whatever the machine). Default: half the cores. */
  threads?: number
}

interface Loaded {
  model: LlamaModel
  context: LlamaEmbeddingContext
  /** Tokens kept of a text: the begin and end tokens node-llama-cpp adds must fit too. */
  maxTokens: number
}

const defaultContextSize = 1024

/**
 * Embeddings from a local GGUF model through node-llama-cpp, so semantic retrieval needs no
 * server. The model loads once, on first use; texts are embedded one at a time on native
 * threads (the event loop stays free), each cut to the context.
 */
export class LlamaCppEmbedder {
  private loading: Promise<Loaded> | undefined
  private closed = false

  constructor(private readonly options: LlamaCppEmbedderOptions) {}

  /** One vector per text, all of the model's dimension. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const { model, context, maxTokens } = await this.load()
    const vectors: Float32Array[] = []
    // One text per call: node-llama-cpp serialises them anyway, and a question searched while a
    // long document is being embedded waits for one chunk, not for the whole document.
    for (const text of texts) {
      const tokens = model.tokenize(text).slice(0, maxTokens)
      const { vector } = await context.getEmbeddingFor(tokens).catch((error: Error) => {
        throw new Error(`the local embedding model failed: ${error.message}`, { cause: error })
      })
      // An empty text has no tokens and node-llama-cpp returns no vector: a zero vector, similar to nothing.
      vectors.push(vector.length > 0 ? Float32Array.from(vector) : new Float32Array(model.embeddingVectorSize))
    }
    return vectors
  }

  /** Unloads the model; the embedder cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true
    const loading = this.loading
    this.loading = undefined
    const loaded = await loading?.catch(() => undefined)
    await loaded?.context.dispose()
    await loaded?.model.dispose()
  }

  private load(): Promise<Loaded> {
    if (this.closed) return Promise.reject(new Error('the local embedding model was closed'))
    if (!this.loading) {
      this.loading = this.open()
      // A model that failed to load is tried again by the next call rather than failing every one.
      this.loading.catch(() => (this.loading = undefined))
    }
    return this.loading
  }

  private async open(): Promise<Loaded> {
    const llama = await llamaRuntime()
    const model = await llama.loadModel({ modelPath: this.options.modelPath })
    try {
      const contextSize = this.options.contextSize ?? Math.min(model.trainContextSize, defaultContextSize)
      const context = await model.createEmbeddingContext({
        contextSize,
        // A whole text in one batch: encoder models (BERT, XLM-R) attend both ways and cannot
        // take a text in pieces.
        batchSize: contextSize,
        threads: this.options.threads ?? Math.max(1, Math.floor(availableParallelism() / 2)),
      })
      // node-llama-cpp refuses a text as long as the context, with its begin and end tokens.
      return { model, context, maxTokens: contextSize - 3 }
    } catch (error) {
      await model.dispose()
      throw error
    }
  }
}
