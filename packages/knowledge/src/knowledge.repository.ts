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

  /** Every chunk of a bot, as the lexical index reads them, each FAQ entry with its similar questions. */
  async chunksOfBot(botId: string): Promise<IndexedChunk[]> {
    const [rows, similar] = await Promise.all([
      this.db.knowledgeChunk.findMany({
        where: { botId },
        orderBy: [{ documentId: 'asc' }, { ordinal: 'asc' }],
        select: { id: true, kind: true, heading: true, text: true, question: true, answer: true, document: { select: { title: true } } },
      }),
      this.db.knowledgeSimilarQuestion.findMany({
        where: { botId },
        orderBy: { createdAt: 'asc' },
        select: { faqQuestion: true, similar: true },
      }),
    ])
    const wordings = new Map<string, string[]>()
    for (const row of similar) wordings.set(row.faqQuestion, [...(wordings.get(row.faqQuestion) ?? []), row.similar])
    return rows.map((row) => ({
      id: String(row.id),
      document: row.document.title,
      kind: row.kind === 'faq' ? 'faq' : 'passage',
      heading: row.heading,
      text: row.text,
      question: row.question,
      answer: row.answer,
      ...(row.kind === 'faq' && row.question && wordings.has(row.question) ? { similar: wordings.get(row.question)! } : {}),
    }))
  }

  /** The bot's own synonym groups (bot settings `knowledge.synonyms`, validated when saved); none when unreadable. */
  async synonymsOfBot(botId: string): Promise<string[][]> {
    const bot = await this.db.bot.findUnique({ where: { id: botId }, select: { settings: true } })
    const knowledge = (bot?.settings as { knowledge?: { synonyms?: unknown } } | null | undefined)?.knowledge
    const groups = knowledge?.synonyms
    const valid = Array.isArray(groups) && groups.every((g) => Array.isArray(g) && g.every((w) => typeof w === 'string'))
    return valid ? (groups as string[][]) : []
  }

  /** Every FAQ entry's question of the bot, with its document's title. */
  async faqQuestions(botId: string): Promise<{ question: string; document: string }[]> {
    const rows = await this.db.knowledgeChunk.findMany({
      where: { botId, kind: 'faq', question: { not: null } },
      orderBy: [{ documentId: 'asc' }, { ordinal: 'asc' }],
      select: { question: true, document: { select: { title: true } } },
    })
    return rows.map((row) => ({ question: row.question!, document: row.document.title }))
  }

  /** The FAQ entries (question and answer, in order) of the bot's document titled `title`. */
  async faqEntriesOf(botId: string, title: string): Promise<{ question: string; answer: string }[]> {
    const rows = await this.db.knowledgeChunk.findMany({
      where: { botId, kind: 'faq', document: { title } },
      orderBy: { ordinal: 'asc' },
      select: { question: true, answer: true },
    })
    return rows.flatMap((row) => (row.question && row.answer ? [{ question: row.question, answer: row.answer }] : []))
  }

  listSimilarQuestions(botId: string) {
    return this.db.knowledgeSimilarQuestion.findMany({
      where: { botId },
      orderBy: { createdAt: 'desc' },
      select: { id: true, faqQuestion: true, similar: true, createdAt: true },
    })
  }

  /** Attaches `similar` to the FAQ entry; null when it already is. */
  async addSimilarQuestion(botId: string, faqQuestion: string, similar: string): Promise<{ id: string } | null> {
    const existing = await this.db.knowledgeSimilarQuestion.findFirst({ where: { botId, faqQuestion, similar }, select: { id: true } })
    if (existing) return null
    try {
      return await this.db.knowledgeSimilarQuestion.create({ data: { botId, faqQuestion, similar }, select: { id: true } })
    } catch (error) {
      // Attached at the same moment by another request: the unique index said no.
      if ((error as { code?: string }).code === 'P2002') return null
      throw error
    }
  }

  async deleteSimilarQuestion(botId: string, id: string): Promise<boolean> {
    return (await this.db.knowledgeSimilarQuestion.deleteMany({ where: { id, botId } })).count === 1
  }

  /** Every chunk's vector of a bot (for vector search), with the ids to join back. */
  embeddings(botId: string) {
    return this.db.knowledgeChunk.findMany({ where: { botId, embedding: { not: null } }, select: { id: true, embedding: true } })
  }

  /** When the bot's knowledge last changed (documents, similar questions, its synonyms), to refresh cached indexes. */
  async version(botId: string): Promise<string> {
    const [latest, similar, synonyms] = await Promise.all([
      this.db.knowledgeDocument.aggregate({ where: { botId }, _max: { updatedAt: true }, _count: true }),
      this.db.knowledgeSimilarQuestion.aggregate({ where: { botId }, _max: { createdAt: true }, _count: true }),
      this.synonymsOfBot(botId),
    ])
    const documents = `${latest._count}:${latest._max.updatedAt?.toISOString() ?? ''}`
    return `${documents}|${similar._count}:${similar._max.createdAt?.toISOString() ?? ''}|${JSON.stringify(synonyms)}`
  }
}
