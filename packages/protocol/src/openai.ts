import { z } from 'zod'

const textPart = z.object({ type: z.literal('text'), text: z.string() })

/** One chat message as OpenAI clients send it; content may be a string or text parts. */
export const openAIMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(textPart).min(1)]),
  name: z.string().max(64).optional(),
})

/** `POST /v1/chat/completions` body (the subset Chorus serves; unknown fields are ignored). */
export const chatCompletionRequest = z.object({
  model: z.string().min(1).max(256),
  messages: z.array(openAIMessage).min(1).max(1000),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  n: z.literal(1).nullish(),
  user: z.string().max(256).optional(),
})
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>

/** The OpenAI error body: `{"error": {"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}
