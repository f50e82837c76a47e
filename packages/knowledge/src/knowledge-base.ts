import { createHash } from 'node:crypto'
import type { Db } from '@chorus/db'
import { KnowledgeRepository } from './knowledge.repository.js'
import { EmbeddingModel, embeddingModelName } from './embedding-model.js'
import { embedderFromConfig, type ConfigWarnings, type EmbeddingConfig } from './embedder-from-config.js'
import { KnowledgeSearch } from './knowledge-search.js'
import { chunkDocument, parseDocument, UnsupportedDocument } from './document.js'
import { searchText } from './segment.js'
import { encodeVector, type Embedder } from './vector-index.js'

export type DocumentInput = Parameters<typeof parseDocument>[0]

/** The document a bot's FAQ entries written in the panel go to (docs/knowledge.md). */
export const learnedDocumentTitle = '补充问答'

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`

/** A bot's knowledge: documents in (parsed, chunked, segmented, embedded), passages out. */
export class KnowledgeBase {
  readonly search: KnowledgeSearch

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly embedder?: Embedder,
    /** The same embedder by name, for `/v1/embeddings`; absent when none is configured. */
    readonly embeddings?: EmbeddingModel,
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

  /** Every FAQ entry's question of the bot, with its document's title. */
  faqQuestions(botId: string) {
    return this.repo.faqQuestions(botId)
  }

  similarQuestions(botId: string) {
    return this.repo.listSimilarQuestions(botId)
  }

  /**
   * Attaches `similar` to the bot's FAQ entry asking `faqQuestion`, searched as its question from
   * then on: `no_entry` when the bot has no such entry, `exists` when it is attached already.
   */
  async addSimilarQuestion(botId: string, faqQuestion: string, similar: string): Promise<{ id: string } | 'no_entry' | 'exists'> {
    if (!(await this.repo.faqQuestions(botId)).some((entry) => entry.question === faqQuestion)) return 'no_entry'
    const added = await this.repo.addSimilarQuestion(botId, faqQuestion, similar)
    this.search.forget(botId)
    return added ?? 'exists'
  }

  async deleteSimilarQuestion(botId: string, id: string): Promise<boolean> {
    const deleted = await this.repo.deleteSimilarQuestion(botId, id)
    this.search.forget(botId)
    return deleted
  }

  /**
   * Adds an FAQ entry to the bot's learned document (补充问答, created on first use): the document
   * is replaced by one with the entry added (an entry of the same question replaced), so it is
   * searched like any FAQ.
   */
  async addFaqEntry(botId: string, question: string, answer: string): Promise<{ id: string; title: string; chunks: number }> {
    const kept = (await this.repo.faqEntriesOf(botId, learnedDocumentTitle)).filter((entry) => entry.question !== question)
    const rows = [...kept, { question, answer }].map((entry) => `${csvField(entry.question)},${csvField(entry.answer)}`)
    const csv = ['question,answer', ...rows].join('\r\n')
    return this.addDocument(botId, {
      filename: `${learnedDocumentTitle}.csv`,
      mimeType: 'text/csv',
      bytes: Buffer.from(csv),
      title: learnedDocumentTitle,
    })
  }
}

/**
 * The knowledge base, with embeddings when the configuration names an embedding endpoint
 * (CHORUS_EMBEDDING_URL) or a local embedding model (CHORUS_EMBEDDING_GGUF).
 */
export function knowledgeFromConfig(db: Db, config: EmbeddingConfig, warnings?: ConfigWarnings): KnowledgeBase {
  const embedder = embedderFromConfig(config, warnings)
  return new KnowledgeBase(new KnowledgeRepository(db), embedder, embedder && new EmbeddingModel(embeddingModelName(config), embedder))
}
