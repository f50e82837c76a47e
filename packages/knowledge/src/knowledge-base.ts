import { createHash } from 'node:crypto'
import type { Db } from '@chorus/db'
import { KnowledgeRepository } from './knowledge.repository.js'
import { embedderFromConfig, type ConfigWarnings, type EmbeddingConfig } from './embedder-from-config.js'
import { KnowledgeSearch } from './knowledge-search.js'
import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'
import { searchText } from './segment.js'
import { encodeVector, type Embedder } from './vector-index.js'

export type DocumentInput = Parameters<typeof parseDocument>[0]

/** A bot's knowledge: documents in (parsed, chunked, segmented, embedded), passages out. */
export class KnowledgeBase {
  readonly search: KnowledgeSearch

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly embedder?: Embedder,
  ) {
    this.search = new KnowledgeSearch(repo, embedder)
  }

  /** Adds (or, by title, replaces) a document; throws UnsupportedDocument for what cannot be read. */
  async addDocument(botId: string, input: DocumentInput): Promise<{ id: string; title: string; chunks: number }> {
    const parsed = await parseDocument(input)
    const chunks = chunkDocument(parsed)
    if (chunks.length === 0) throw new UnsupportedDocument('the document has no text to learn from')
    const vectors = this.embedder ? await this.embedder.embed(chunks.map((c) => (c.heading ? `${c.heading}\n${c.text}` : c.text))) : []
    const content = 'bytes' in input ? input.bytes : Buffer.from(input.text)
    const document = await this.repo.replaceDocument({
      botId,
      title: parsed.title,
      format: parsed.format,
      contentHash: createHash('sha256').update(content).digest('hex'),
      chunks: chunks.map((chunk, i) => ({
        ...chunk,
        searchText: searchText(`${chunk.heading} ${chunk.text}`),
        ...(vectors[i] ? { embedding: encodeVector(vectors[i]) } : {}),
      })),
    })
    this.search.forget(botId)
    return { id: document.id, title: document.title, chunks: document.chunkCount }
  }

  documents(botId: string) {
    return this.repo.listDocuments(botId)
  }

  async deleteDocument(botId: string, id: string): Promise<boolean> {
    const deleted = await this.repo.deleteDocument(botId, id)
    this.search.forget(botId)
    return deleted
  }

  hasKnowledge(botId: string): Promise<boolean> {
    return this.repo.hasKnowledge(botId)
  }
}

/**
 * The knowledge base, with embeddings when the configuration names an embedding endpoint
 * (CHORUS_EMBEDDING_URL) or a local embedding model (CHORUS_EMBEDDING_GGUF).
 */
export function knowledgeFromConfig(db: Db, config: EmbeddingConfig, warnings?: ConfigWarnings): KnowledgeBase {
  return new KnowledgeBase(new KnowledgeRepository(db), embedderFromConfig(config, warnings))
}
