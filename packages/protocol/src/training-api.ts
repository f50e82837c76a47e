import { z } from 'zod'

// Training data from real conversations (docs/datasets.md): what agents mark in the console,
// what admins review, the datasets built from it and their exports.

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()])
const answerText = z.string().trim().min(1).max(8000)

/** An agent's verdict on one bot answer: good as it is, or bad with the answer it should have given. */
export const answerRatingBody = z
  .object({ rating: z.enum(['good', 'bad']), betterAnswer: answerText.optional() })
  .refine((body) => body.rating === 'good' || body.betterAnswer !== undefined, {
    message: 'a bad answer needs the better answer, written by the agent',
    path: ['betterAnswer'],
  })

export const trainingPairStatuses = ['candidate', 'accepted', 'rejected'] as const
export type TrainingPairStatus = (typeof trainingPairStatuses)[number]

/** Where a pair came from: an answer rated good, an answer corrected, an agent's reply to a question the bot could not answer. */
export const trainingPairSources = ['rated_good', 'agent_correction', 'agent_reply'] as const
export type TrainingPairSource = (typeof trainingPairSources)[number]

export const trainingPairQuery = z.object({
  botId: z.uuid().optional(),
  status: z.enum(trainingPairStatuses).default('candidate'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The last pair of the previous page (pages go newest first). */
  before: z.uuid().optional(),
})

/** An admin's review of a pair: accept or reject it, with the question and answer edited if need be. */
export const trainingPairReviewBody = z.object({
  status: z.enum(trainingPairStatuses),
  question: z.string().trim().min(1).max(4000).optional(),
  answer: answerText.optional(),
  /** Accepted pairs can also become an FAQ entry of the bot's knowledge (补充问答), in the same step. */
  addToKnowledge: z.boolean().default(false),
})

export const datasetFormats = ['openai', 'sharegpt', 'alpaca'] as const
export type DatasetFormat = (typeof datasetFormats)[number]

export const datasetBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** The bot whose data goes in (its persona is the system message); every bot's when left out. */
    botId: z.uuid().optional(),
    sources: z
      .object({
        /** Accepted pairs. */
        pairs: z.boolean().default(true),
        /** The bot's FAQ entries. */
        faq: z.boolean().default(false),
        /** Whole conversations, every user and assistant turn (agents' replies as the assistant's). */
        conversations: z.boolean().default(false),
      })
      .default({ pairs: true, faq: false, conversations: false }),
    filters: z
      .object({
        channel: z.enum(['wechat_group', 'wechat_private', 'miniprogram', 'api']).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        /** Pairs: rated good, or corrected / written by an agent. Conversations: the user's satisfaction rating (1–5) at least this. */
        rating: z.enum(['good', 'bad']).optional(),
        minSatisfaction: z.number().int().min(1).max(5).optional(),
        /** Only (true) or never (false) conversations a person took over. */
        handoff: z.boolean().optional(),
      })
      .default({}),
    /** The share held out for testing, chosen by a hash of each example (the same data splits the same way). */
    testShare: z.number().min(0).max(0.5).default(0.1),
  })
  .refine((body) => body.sources.pairs || body.sources.faq || body.sources.conversations, {
    message: 'choose at least one source',
    path: ['sources'],
  })
export type DatasetRecipe = z.infer<typeof datasetBody>

export const datasetExportQuery = z.object({
  format: z.enum(datasetFormats),
  split: z.enum(['train', 'test']).default('train'),
})
