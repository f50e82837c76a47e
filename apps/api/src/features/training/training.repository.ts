import type { Db, Prisma } from '@chorus/db'
import { botSettings, type DatasetFormat, type DatasetRecipe, type TrainingPairSource, type TrainingPairStatus } from '@chorus/protocol'
import {
  alternatingTurns,
  formatExamples,
  isTestExample,
  maskExample,
  type DatasetFile,
  type Example,
  type Turn,
} from './dataset-formats.js'

/** Conversations read for one dataset at most (the newest). */
const maxConversations = 20_000
/** Earlier messages looked through for the questions an agent's reply answers. */
const repliedWindow = 20

const pairSelect = {
  id: true,
  botId: true,
  question: true,
  answer: true,
  source: true,
  status: true,
  conversationId: true,
  createdAt: true,
  reviewedAt: true,
} satisfies Prisma.TrainingPairSelect
export type TrainingPairRow = Prisma.TrainingPairGetPayload<{ select: typeof pairSelect }>

/** What an erasure took out of the training data, and the files made before that held the user's messages. */
export interface TrainingErasure {
  trainingPairs: number
  datasetItems: number
  exports: Array<{ id: string; datasetId: string; dataset: string; format: string; split: string; at: string }>
}

/** A reply the bot could not stand behind: a failure notice, an answer it was unsure of, or a question asked back. */
function weakAnswer(meta: Prisma.JsonValue | undefined): boolean {
  const m = (meta ?? {}) as { notice?: unknown; confidence?: unknown; askedBack?: unknown }
  return m.notice === 'failure' || m.confidence === 'low' || m.askedBack === '1'
}

/** Turns of a conversation as training text: the user's (commands left out), and the bot's and agents' answers (the bot's weak ones left out). */
function conversationTurns(messages: Array<{ role: string; text: string; meta: Prisma.JsonValue }>): Turn[] {
  return messages
    .filter(
      (m) => (m.role === 'user' && !m.text.trim().startsWith('/')) || m.role === 'agent' || (m.role === 'assistant' && !weakAnswer(m.meta)),
    )
    .map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.text }))
}

const dayEnd = (date: string) => (date.length === 10 ? new Date(Date.parse(date) + 86_400_000) : new Date(date))

/**
 * Training data from real conversations (docs/datasets.md): candidate question/answer pairs made
 * where agents work, reviewed by admins; datasets built from accepted pairs, FAQ entries and
 * whole conversations; exports in fine-tuning formats, each recorded with the messages it held.
 */
export class TrainingRepository {
  constructor(private readonly db: Db) {}

  /**
   * An agent's verdict on bot answer `messageId` of conversation `conversationId`: good makes the
   * question and that answer a candidate, bad makes the question and the agent's better answer one.
   * Rated again, the same pair is replaced (and waits for review again). 'not_an_answer' for a
   * message that is not the bot's answer to a question of this conversation.
   */
  async rateAnswer(input: {
    conversationId: string
    messageId: bigint
    staffId: string
    rating: 'good' | 'bad'
    betterAnswer?: string
  }): Promise<TrainingPairRow | 'not_an_answer'> {
    const answer = await this.db.message.findFirst({
      where: { id: input.messageId, conversationId: input.conversationId, role: 'assistant' },
      select: { id: true, text: true, replyTo: { select: { id: true, text: true } }, conversation: { select: { botId: true } } },
    })
    if (!answer?.replyTo) return 'not_an_answer'
    const source: TrainingPairSource = input.rating === 'good' ? 'rated_good' : 'agent_correction'
    const data = {
      botId: answer.conversation.botId,
      question: answer.replyTo.text,
      answer: input.rating === 'good' ? answer.text : input.betterAnswer!,
      source,
      status: 'candidate',
      conversationId: input.conversationId,
      sourceMessageIds: [answer.replyTo.id, answer.id],
      createdById: input.staffId,
      reviewedById: null,
      reviewedAt: null,
    }
    return this.db.trainingPair.upsert({
      where: { answerMessageId: answer.id },
      create: { ...data, answerMessageId: answer.id },
      update: data,
      select: pairSelect,
    })
  }

  /**
   * After agent reply `replyId`: the questions it answers that the bot could not — the user's
   * messages since the last good answer (the bot's or an agent's) that got no answer or a weak
   * one, requests for a person left out — become a candidate pair with the reply. Null when
   * there are none (the bot had answered well).
   */
  async offerAgentReply(conversationId: string, replyId: bigint, staffId: string): Promise<TrainingPairRow | null> {
    const reply = await this.db.message.findFirst({
      where: { id: replyId, conversationId, role: 'agent' },
      select: { text: true, conversation: { select: { botId: true, bot: { select: { settings: true } } } } },
    })
    if (!reply) return null
    const keywords = (botSettings.safeParse(reply.conversation.bot.settings).data?.handoff.keywords ?? []).map((k) => k.toLowerCase())
    const asksForPerson = (text: string) => text.trim().startsWith('/') || keywords.some((k) => text.toLowerCase().includes(k))
    const earlier = await this.db.message.findMany({
      where: { conversationId, id: { lt: replyId }, role: { in: ['user', 'assistant', 'agent'] } },
      orderBy: { id: 'desc' },
      take: repliedWindow,
      select: { id: true, role: true, text: true, meta: true, reply: { select: { role: true, meta: true } } },
    })
    const questions: Array<{ id: bigint; text: string }> = []
    for (const message of earlier) {
      if (message.role === 'agent' || (message.role === 'assistant' && !weakAnswer(message.meta))) break
      if (message.role !== 'user' || asksForPerson(message.text)) continue
      if (message.reply && message.reply.role === 'assistant' && !weakAnswer(message.reply.meta)) break
      questions.unshift({ id: message.id, text: message.text })
      if (questions.length === 3) break
    }
    if (questions.length === 0) return null
    return this.db.trainingPair.upsert({
      where: { answerMessageId: replyId },
      create: {
        botId: reply.conversation.botId,
        question: questions.map((q) => q.text).join('\n'),
        answer: reply.text,
        source: 'agent_reply' satisfies TrainingPairSource,
        conversationId,
        answerMessageId: replyId,
        sourceMessageIds: [...questions.map((q) => q.id), replyId],
        createdById: staffId,
      },
      update: {},
      select: pairSelect,
    })
  }

  /** Pairs with `status`, newest first; the next page starts after `before`. */
  async listPairs(query: { botId?: string; status: TrainingPairStatus; limit: number; before?: string }): Promise<TrainingPairRow[]> {
    const cursor = query.before ? await this.db.trainingPair.findUnique({ where: { id: query.before }, select: { createdAt: true } }) : null
    return this.db.trainingPair.findMany({
      where: {
        status: query.status,
        botId: query.botId,
        ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: query.before! } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
      select: pairSelect,
    })
  }

  /** An admin's review; null for no such pair. */
  async reviewPair(
    id: string,
    staffId: string,
    review: { status: TrainingPairStatus; question?: string; answer?: string },
  ): Promise<TrainingPairRow | null> {
    const { count } = await this.db.trainingPair.updateMany({
      where: { id },
      data: { status: review.status, question: review.question, answer: review.answer, reviewedById: staffId, reviewedAt: new Date() },
    })
    return count === 0 ? null : this.db.trainingPair.findUnique({ where: { id }, select: pairSelect })
  }

  /** Builds a dataset as `recipe` says, split into train and test; returns its id and how many examples each split holds. */
  async createDataset(recipe: DatasetRecipe, staffId: string): Promise<{ id: string; train: number; test: number }> {
    const personas = new Map(
      (await this.db.bot.findMany({ where: { id: recipe.botId }, select: { id: true, persona: true } })).map((b) => [b.id, b.persona]),
    )
    const examples: Array<Example & { key: string; kind: string; sourceMessageIds: bigint[] }> = []
    const persona = (botId: string) => personas.get(botId) ?? ''
    const { filters, sources } = recipe
    const createdAt = { gte: filters.from ? new Date(filters.from) : undefined, lt: filters.to ? dayEnd(filters.to) : undefined }
    const handedOff: Prisma.ConversationWhereInput | undefined =
      filters.handoff === undefined
        ? undefined
        : filters.handoff
          ? { events: { some: { toState: { in: ['waiting', 'agent'] } } } }
          : { events: { none: { toState: { in: ['waiting', 'agent'] } } } }
    if (sources.pairs) {
      const pairs = await this.db.trainingPair.findMany({
        where: {
          status: 'accepted',
          botId: recipe.botId,
          createdAt,
          ...(filters.rating ? { source: filters.rating === 'good' ? 'rated_good' : { in: ['agent_correction', 'agent_reply'] } } : {}),
          ...(filters.channel || handedOff
            ? { conversation: { channel: filters.channel ? { kind: filters.channel } : undefined, ...handedOff } }
            : {}),
        },
        orderBy: { createdAt: 'asc' },
        select: { id: true, botId: true, question: true, answer: true, sourceMessageIds: true },
      })
      for (const pair of pairs) {
        examples.push({
          key: `pair:${pair.id}`,
          kind: 'pair',
          system: persona(pair.botId),
          turns: [
            { role: 'user', content: pair.question },
            { role: 'assistant', content: pair.answer },
          ],
          sourceMessageIds: pair.sourceMessageIds,
        })
      }
    }
    if (sources.faq) {
      const entries = await this.db.knowledgeChunk.findMany({
        where: { kind: 'faq', botId: recipe.botId, question: { not: null }, answer: { not: null } },
        orderBy: [{ botId: 'asc' }, { id: 'asc' }],
        select: { botId: true, question: true, answer: true },
      })
      const seen = new Set<string>()
      for (const entry of entries) {
        const key = `faq:${entry.botId}:${entry.question}`
        if (seen.has(key)) continue
        seen.add(key)
        examples.push({
          key,
          kind: 'faq',
          system: persona(entry.botId),
          turns: [
            { role: 'user', content: entry.question! },
            { role: 'assistant', content: entry.answer! },
          ],
          sourceMessageIds: [],
        })
      }
    }
    if (sources.conversations) {
      const conversations = await this.db.conversation.findMany({
        where: {
          botId: recipe.botId,
          createdAt,
          channel: filters.channel ? { kind: filters.channel } : undefined,
          rating: filters.minSatisfaction ? { gte: filters.minSatisfaction } : undefined,
          ...handedOff,
        },
        orderBy: { createdAt: 'desc' },
        take: maxConversations,
        select: {
          id: true,
          botId: true,
          messages: {
            where: { role: { in: ['user', 'assistant', 'agent'] }, status: { notIn: ['ignored', 'refused', 'failed', 'undeliverable'] } },
            orderBy: { id: 'asc' },
            select: { id: true, role: true, text: true, meta: true },
          },
        },
      })
      for (const conversation of conversations.reverse()) {
        const turns = alternatingTurns(conversationTurns(conversation.messages))
        if (!turns) continue
        examples.push({
          key: `conversation:${conversation.id}`,
          kind: 'conversation',
          system: persona(conversation.botId),
          turns,
          sourceMessageIds: conversation.messages.map((m) => m.id),
        })
      }
    }
    return this.db.$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: {
          name: recipe.name,
          botId: recipe.botId ?? null,
          recipe: recipe as unknown as Prisma.InputJsonValue,
          testShare: recipe.testShare,
          createdById: staffId,
        },
        select: { id: true },
      })
      const items = examples.map((example) => ({
        datasetId: dataset.id,
        split: isTestExample(example.key, recipe.testShare) ? 'test' : 'train',
        kind: example.kind,
        system: example.system,
        turns: example.turns as unknown as Prisma.InputJsonValue,
        sourceMessageIds: example.sourceMessageIds,
      }))
      await tx.datasetItem.createMany({ data: items })
      const test = items.filter((item) => item.split === 'test').length
      return { id: dataset.id, train: items.length - test, test }
    })
  }

  /** Datasets, newest first, with how many examples each split holds and how often they were exported. */
  async listDatasets() {
    const datasets = await this.db.dataset.findMany({
      orderBy: { createdAt: 'desc' },
      select: { id: true, name: true, botId: true, recipe: true, testShare: true, createdAt: true, _count: { select: { exports: true } } },
    })
    const counts = await this.db.datasetItem.groupBy({ by: ['datasetId', 'split'], _count: { _all: true } })
    const count = (id: string, split: string) => counts.find((c) => c.datasetId === id && c.split === split)?._count._all ?? 0
    return datasets.map(({ _count, ...dataset }) => ({
      ...dataset,
      train: count(dataset.id, 'train'),
      test: count(dataset.id, 'test'),
      exports: _count.exports,
    }))
  }

  /** The examples of one split, in order, and the dataset's bot (the test split is what a comparison of models runs). */
  async examples(datasetId: string, split: 'train' | 'test'): Promise<{ botId: string | null; examples: Example[] } | null> {
    const dataset = await this.db.dataset.findUnique({ where: { id: datasetId }, select: { botId: true } })
    if (!dataset) return null
    const items = await this.db.datasetItem.findMany({
      where: { datasetId, split },
      orderBy: { id: 'asc' },
      select: { system: true, turns: true },
    })
    return { botId: dataset.botId, examples: items.map((item) => ({ system: item.system, turns: item.turns as unknown as Turn[] })) }
  }

  /**
   * A file of one split in `format`, personal data masked, and the export recorded with every
   * message it held. Null for no such dataset.
   */
  async exportDataset(
    datasetId: string,
    format: DatasetFormat,
    split: 'train' | 'test',
    staffId: string,
  ): Promise<{ name: string; file: DatasetFile; items: number } | null> {
    const dataset = await this.db.dataset.findUnique({ where: { id: datasetId }, select: { name: true } })
    if (!dataset) return null
    const items = await this.db.datasetItem.findMany({
      where: { datasetId, split },
      orderBy: { id: 'asc' },
      select: { system: true, turns: true, sourceMessageIds: true },
    })
    const file = formatExamples(
      items.map((item) => maskExample({ system: item.system, turns: item.turns as unknown as Turn[] })),
      format,
    )
    await this.db.datasetExport.create({
      data: {
        datasetId,
        format,
        split,
        items: items.length,
        sourceMessageIds: [...new Set(items.flatMap((item) => item.sourceMessageIds))],
        createdById: staffId,
      },
    })
    return { name: dataset.name, file, items: items.length }
  }

  /** Deletes a dataset with its examples and the record of its exports; false for no such dataset. */
  async deleteDataset(id: string): Promise<boolean> {
    const { count } = await this.db.dataset.deleteMany({ where: { id } })
    return count > 0
  }
}

/**
 * Within an erasure's transaction: removes the pairs and dataset examples made from `messageIds`
 * (so no later export holds them), and lists the exports made before that held any of them.
 */
export async function eraseFromTraining(tx: Prisma.TransactionClient, messageIds: bigint[]): Promise<TrainingErasure> {
  if (messageIds.length === 0) return { trainingPairs: 0, datasetItems: 0, exports: [] }
  const pairs = await tx.trainingPair.deleteMany({ where: { sourceMessageIds: { hasSome: messageIds } } })
  const items = await tx.datasetItem.deleteMany({ where: { sourceMessageIds: { hasSome: messageIds } } })
  const exports = await tx.datasetExport.findMany({
    where: { sourceMessageIds: { hasSome: messageIds } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, datasetId: true, format: true, split: true, createdAt: true, dataset: { select: { name: true } } },
  })
  return {
    trainingPairs: pairs.count,
    datasetItems: items.count,
    exports: exports.map((e) => ({
      id: e.id,
      datasetId: e.datasetId,
      dataset: e.dataset.name,
      format: e.format,
      split: e.split,
      at: e.createdAt.toISOString(),
    })),
  }
}
