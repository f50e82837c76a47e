import { z } from 'zod'
import { botSettings } from './bot-settings.js'

// Request bodies of the admin panel's bot, model-endpoint and pool routes (docs/admin.md).

const id = z.string().trim().min(1).max(64)

export const createBotBody = z.object({
  name: z.string().trim().min(1).max(64),
  persona: z.string().max(8000).default(''),
  enabled: z.boolean().default(true),
  /** Partial settings: every field not given takes its default. */
  settings: z.record(z.string(), z.unknown()).default({}),
  modelEndpointId: id.nullable().default(null),
})

export const updateBotBody = z
  .object({
    name: z.string().trim().min(1).max(64),
    persona: z.string().max(8000),
    enabled: z.boolean(),
    /** Top-level settings sections to replace; the result is validated as a whole. */
    settings: z.record(z.string(), z.unknown()),
    modelEndpointId: id.nullable(),
  })
  .partial()

/** Settings of a bot after merging a change into its current ones; errors name the field. */
export const fullBotSettings = botSettings

export const testChatBody = z.object({
  /** Try a persona before saving it (the saved one otherwise). */
  persona: z.string().max(8000).optional(),
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().min(1).max(4000) }))
    .min(1)
    .max(40),
})

const variableName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as QWEN_API_KEY')
  .refine((name) => !name.startsWith('CHORUS_') && !name.startsWith('WECHAT_'), 'CHORUS_ and WECHAT_ variables are reserved')

const endpointFields = {
  name: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9][\w.:-]{0,62}$/, 'letters, digits, and . _ : - (the name /v1 clients use)'),
  kind: z.enum(['openai', 'gguf']),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  model: z.string().trim().min(1).max(256).nullable().default(null),
  apiKeyVariable: variableName.nullable().default(null),
  ggufPath: z.string().trim().min(1).max(1000).nullable().default(null),
  replicas: z.number().int().min(1).max(16).default(1),
  concurrency: z.number().int().min(1).max(256).default(8),
  leavesNetwork: z.boolean().default(false),
  enabled: z.boolean().default(true),
}

/** An endpoint must say where its model is: a URL for an OpenAI-compatible server, a file for GGUF. */
function complete(endpoint: { kind: 'openai' | 'gguf'; baseUrl: string | null; ggufPath: string | null }, ctx: z.RefinementCtx): void {
  if (endpoint.kind === 'openai' && !endpoint.baseUrl)
    ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'required for an OpenAI-compatible endpoint' })
  if (endpoint.kind === 'gguf' && !endpoint.ggufPath)
    ctx.addIssue({ code: 'custom', path: ['ggufPath'], message: 'required for a GGUF model' })
}

export const modelEndpointBody = z.object(endpointFields).superRefine(complete)
export type ModelEndpointInput = z.infer<typeof modelEndpointBody>
export const modelEndpointPatch = z.object(endpointFields).partial()
export const modelEndpointShape = z.object(endpointFields)
export { complete as checkModelEndpoint }

/** A knowledge document pasted as text (uploads of files are multipart). */
export const knowledgeTextBody = z.object({ title: z.string().trim().min(1).max(200), text: z.string().min(1).max(2_000_000) })

/** The questions a bot could not answer, over the last `days` days. */
export const unansweredQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) })

/** Another wording (相似问法) for one of the bot's FAQ entries, named by its question. */
export const similarQuestionBody = z.object({
  faqQuestion: z.string().trim().min(1).max(1000),
  similar: z.string().trim().min(1).max(500),
})

/** A new FAQ entry for the bot's learned document (补充问答). */
export const faqEntryBody = z.object({ question: z.string().trim().min(1).max(500), answer: z.string().trim().min(1).max(5000) })

export const knowledgeSearchQuery = z.object({ q: z.string().trim().min(1).max(500), k: z.coerce.number().int().min(1).max(20).default(5) })
