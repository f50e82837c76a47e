import type { Embedder } from './vector-index.js'

/** Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (vLLM, Ollama, TEI, a hosted API). */
export class OpenAIEmbedder implements Embedder {
  constructor(private readonly options: { baseUrl: string; model: string; apiKey?: string; batchSize?: number }) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    const batch = this.options.batchSize ?? 64
    const vectors: Float32Array[] = []
    for (let start = 0; start < texts.length; start += batch) {
      const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.options.model, input: texts.slice(start, start + batch) }),
        signal: AbortSignal.timeout(60_000),
      })
      if (!res.ok) throw new Error(`the embedding endpoint answered HTTP ${res.status}`)
      const body = (await res.json()) as { data?: Array<{ index: number; embedding: number[] }> }
      const data = [...(body.data ?? [])].sort((a, b) => a.index - b.index)
      if (data.length !== Math.min(batch, texts.length - start))
        throw new Error('the embedding endpoint returned the wrong number of vectors')
      for (const item of data) vectors.push(Float32Array.from(item.embedding))
    }
    return vectors
  }
}
