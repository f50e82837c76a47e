import type { Db } from '@chorus/db'
import type { IndexedChunk } from './lexical-index.js'

export interface StoredChunk {
  ordinal: number
  kind: 'passage' | 'faq'
  heading: string
  text: string
  question?: string
  answer?: string
  searchText: string
  embedding?: Uint8Array
}

/** Knowledge documents and chunks in PostgreSQL. */
export class KnowledgeRepository {
  constructor(private readonly db: Db) {}

  /** Stores a document, replacing the bot's document of the same title, in one transaction. */
  async replaceDocument(input: { botId: string; title: string; format: string; contentHash: string; chunks: StoredChunk[] }) {
    return this.db.$transaction(async (tx) => {
      await tx.knowledgeDocument.deleteMany({ where: { botId: input.botId, title: input.title } })
      const document = await tx.knowledgeDocument.create({
        data: {
          botId: input.botId,
          title: input.title,
          format: input.format,
          contentHash: input.contentHash,
          chunkCount: input.chunks.length,
        },
        select: { id: true, title: true, chunkCount: true },
      })
      await tx.knowledgeChunk.createMany({
        data: input.chunks.map((c) => ({
          documentId: document.id,
          botId: input.botId,
          ordinal: c.ordinal,
          kind: c.kind,
          heading: c.heading,
          text: c.text,
          question: c.question ?? null,
          answer: c.answer ?? null,
          searchText: c.searchText,
          embedding: c.embedding ? Buffer.from(c.embedding) : null,
        })),
      })
      return document
    })
  }

  listDocuments(botId: string) {
    return this.db.knowledgeDocument.findMany({
      where: { botId },
      orderBy: { title: 'asc' },
      select: { id: true, title: true, format: true, chunkCount: true, createdAt: true, updatedAt: true },
    })
  }

  async deleteDocument(botId: string, id: string): Promise<boolean> {
    return (await this.db.knowledgeDocument.deleteMany({ where: { id, botId } })).count === 1
  }

  async hasKnowledge(botId: string): Promise<boolean> {
    return (await this.db.knowledgeDocument.count({ where: { botId } })) > 0
  }

  /** Every chunk of a bot, as the lexical index reads them. */
  async chunksOfBot(botId: string): Promise<IndexedChunk[]> {
    const rows = await this.db.knowledgeChunk.findMany({
      where: { botId },
      orderBy: [{ documentId: 'asc' }, { ordinal: 'asc' }],
      select: { id: true, kind: true, heading: true, text: true, question: true, answer: true, document: { select: { title: true } } },
    })
    return rows.map((row) => ({
      id: String(row.id),
      document: row.document.title,
      kind: row.kind === 'faq' ? 'faq' : 'passage',
      heading: row.heading,
      text: row.text,
      question: row.question,
      answer: row.answer,
    }))
  }

  /** Every chunk's vector of a bot (for vector search), with the ids to join back. */
  embeddings(botId: string) {
    return this.db.knowledgeChunk.findMany({ where: { botId, embedding: { not: null } }, select: { id: true, embedding: true } })
  }

  /** When the bot's knowledge last changed (to refresh cached vectors). */
  async version(botId: string): Promise<string> {
    const latest = await this.db.knowledgeDocument.aggregate({ where: { botId }, _max: { updatedAt: true }, _count: true })
    return `${latest._count}:${latest._max.updatedAt?.toISOString() ?? ''}`
  }
}
