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
        channel: z.enum(['wechat_group', 'wechat_private', 'miniprogram', 'api', 'wecom_kf']).optional(),
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

/** Models to compare, side by side, on a dataset's test split or a knowledge evaluation set (`eval:travel`). */
export const comparisonBody = z
  .object({
    datasetId: z.uuid().optional(),
    evalSet: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .optional(),
    /** The bot whose persona, knowledge and settings answer (the dataset's bot when left out). */
    botId: z.uuid().optional(),
    models: z
      .array(z.string().trim().min(1).max(256))
      .min(2)
      .max(5)
      .refine((models) => new Set(models).size === models.length, { message: 'name each model once' }),
    /** A model that judges each answer against the first model's, given the reference. */
    judge: z.string().trim().min(1).max(256).optional(),
    /** The first this many questions. */
    limit: z.number().int().min(1).max(500).default(50),
  })
  .refine((body) => (body.datasetId === undefined) !== (body.evalSet === undefined), {
    message: 'give a datasetId or an evalSet, not both',
    path: ['datasetId'],
  })
export type ComparisonRequest = z.infer<typeof comparisonBody>

// What the training routes answer, read by the web panel as these schemas (as staff-responses.ts).

/** A question and its answer, as a candidate, accepted or rejected. */
export const trainingPair = z.object({
  id: z.string(),
  botId: z.string(),
  question: z.string(),
  answer: z.string(),
  source: z.enum(trainingPairSources),
  status: z.enum(trainingPairStatuses),
  conversationId: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
})
export type TrainingPair = z.infer<typeof trainingPair>

/** `POST …/rating` and `PATCH /api/training/pairs/:id`. */
export const trainingPairResponse = z.object({ pair: trainingPair })

/** `GET /api/training/pairs`. */
export const trainingPairListResponse = z.object({ pairs: z.array(trainingPair) })

/** A dataset as `GET /api/datasets` lists it: each split's size and how often it was exported. */
export const datasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  botId: z.string().nullable(),
  testShare: z.number(),
  createdAt: z.string(),
  train: z.number().int(),
  test: z.number().int(),
  exports: z.number().int(),
})
export type DatasetSummary = z.infer<typeof datasetSummary>

export const datasetListResponse = z.object({ datasets: z.array(datasetSummary) })

/** `POST /api/datasets`. */
export const datasetCreatedResponse = z.object({
  dataset: z.object({ id: z.string(), train: z.number().int(), test: z.number().int() }),
})

export const comparisonStatuses = ['running', 'done', 'failed'] as const

/** One model's record over a comparison's questions. */
export const comparisonModelSummary = z.object({
  model: z.string(),
  questions: z.number().int(),
  /** Share (0–1) of the references' facts the answers state; null when no reference has any. */
  factsFound: z.number().nullable(),
  meanLength: z.number(),
  p50Ms: z.number(),
  refusals: z.number().int(),
  errors: z.number().int(),
  /** Against the first model, by the judge. */
  judged: z.object({ wins: z.number().int(), losses: z.number().int(), ties: z.number().int() }).optional(),
})
export type ComparisonModelSummary = z.infer<typeof comparisonModelSummary>

/** One question, every model's answer to it, and the judge's verdicts. */
export const comparisonRow = z.object({
  question: z.string(),
  reference: z.string(),
  answers: z.array(
    z.object({
      model: z.string(),
      text: z.string(),
      ms: z.number(),
      length: z.number(),
      refused: z.boolean(),
      facts: z.object({ found: z.number().int(), of: z.number().int() }),
      withoutModel: z.boolean().optional(),
      error: z.string().optional(),
    }),
  ),
  judged: z.array(z.object({ model: z.string(), better: z.string() })).optional(),
})
export type ComparisonRow = z.infer<typeof comparisonRow>

/** A comparison as `GET /api/comparisons` lists it (the summary once done). */
export const comparisonSummary = z.object({
  id: z.string(),
  /** A dataset's id, or `eval:<name>`. */
  source: z.string(),
  botId: z.string().nullable(),
  models: z.array(z.string()),
  judge: z.string().nullable(),
  status: z.enum(comparisonStatuses),
  questions: z.number().int(),
  summary: z.array(comparisonModelSummary).nullable(),
  createdAt: z.string(),
})
export type ComparisonSummary = z.infer<typeof comparisonSummary>

export const comparisonListResponse = z.object({ comparisons: z.array(comparisonSummary) })

/** `GET /api/comparisons/:id`: the rows as they come. */
export const comparisonDetailResponse = z.object({
  comparison: comparisonSummary.extend({ rows: z.array(comparisonRow), error: z.string().nullable() }),
})
export type ComparisonDetail = z.infer<typeof comparisonDetailResponse>['comparison']

/** `POST /api/comparisons`. */
export const comparisonStartedResponse = z.object({
  comparison: z.object({ id: z.string(), questions: z.number().int(), status: z.enum(comparisonStatuses) }),
})
