import { Prisma, type Db } from '@chorus/db'

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

/** A candidate chunk from the index, with the database's own relevance signals. */
export interface CandidateRow {
  id: bigint
  title: string
  kind: string
  heading: string
  text: string
  question: string | null
  answer: string | null
  search_text: string
  fts: number
  trgm: number
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

  /**
   * Chunks of the bot matching any query word in the full-text index, or close to the query by
   * trigram similarity; with ts_rank_cd (normalised to 0–1) and trigram word similarity.
   */
  candidates(botId: string, terms: string[], segmentedQuery: string, limit: number): Promise<CandidateRow[]> {
    // Each term quoted as a tsquery lexeme, so user input cannot inject tsquery operators.
    const tsquery = terms.map((t) => `'${t.replace(/'/g, "''").replace(/\\/g, '')}'`).join(' | ')
    return this.db.$queryRaw<CandidateRow[]>(Prisma.sql`
      SELECT c.id, d.title, c.kind, c.heading, c.text, c.question, c.answer, c.search_text,
             ts_rank_cd(c.tsv, q.query, 32)::float8 AS fts,
             word_similarity(${segmentedQuery}, c.search_text)::float8 AS trgm
        FROM knowledge_chunks c
        JOIN knowledge_documents d ON d.id = c.document_id,
             to_tsquery('simple', ${tsquery}) AS q(query)
       WHERE c.bot_id = ${botId}
         AND (c.tsv @@ q.query OR ${segmentedQuery} <% c.search_text)
       ORDER BY fts DESC
       LIMIT ${limit}`)
  }

  /** Every chunk's vector of a bot (for vector search), with the ids to join back. */
  embeddings(botId: string) {
    return this.db.knowledgeChunk.findMany({ where: { botId, embedding: { not: null } }, select: { id: true, embedding: true } })
  }

  chunksById(ids: bigint[]) {
    return this.db.knowledgeChunk.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        kind: true,
        heading: true,
        text: true,
        question: true,
        answer: true,
        searchText: true,
        document: { select: { title: true } },
      },
    })
  }

  /** When the bot's knowledge last changed (to refresh cached vectors). */
  async version(botId: string): Promise<string> {
    const latest = await this.db.knowledgeDocument.aggregate({ where: { botId }, _max: { updatedAt: true }, _count: true })
    return `${latest._count}:${latest._max.updatedAt?.toISOString() ?? ''}`
  }
}
