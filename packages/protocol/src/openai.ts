import { z } from 'zod'

// Loose objects throughout: what a client sends beyond the fields checked here (a server's own
// extensions, newer OpenAI fields) passes through to an OpenAI-compatible server unchanged.
const textPart = z.looseObject({ type: z.literal('text'), text: z.string() })
const imagePart = z.looseObject({ type: z.literal('image_url'), image_url: z.looseObject({ url: z.string().min(1) }) })
/** Any other typed part (`input_audio`, `file`, `video_url`, `refusal`…): for servers that take it. */
const otherPart = z.looseObject({ type: z.string().min(1) }).refine((part) => part.type !== 'text' && part.type !== 'image_url', {
  message: 'a text or image_url part is malformed',
})
const contentPart = z.union([textPart, imagePart, otherPart])
const textContent = z.union([z.string(), z.array(textPart).min(1)])

/** A function call the model made, as OpenAI shapes it (`arguments` is a JSON text). */
export const openAIToolCall = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
})

/** One chat message as OpenAI clients send it, by role (tool calls and their results included). */
export const openAIMessage = z.discriminatedUnion('role', [
  z.looseObject({ role: z.enum(['system', 'developer']), content: textContent, name: z.string().max(64).optional() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(contentPart).min(1)]),
    name: z.string().max(64).optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    // Null (or absent) when the message is only tool calls.
    content: z.union([z.string(), z.array(contentPart).min(1)]).nullish(),
    name: z.string().max(64).optional(),
    tool_calls: z.array(openAIToolCall).max(128).optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  /** The deprecated form of a tool result. */
  z.looseObject({ role: z.literal('function'), content: z.string().nullable(), name: z.string().min(1) }),
])
export type OpenAIMessage = z.infer<typeof openAIMessage>

const functionTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name is 1 to 64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
})

const responseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
])

/**
 * `POST /v1/chat/completions` body. The fields OpenAI defines are checked here; any other field
 * (vLLM's `top_k`, `guided_json`, `chat_template_kwargs`…) is kept, for the engine to pass on or
 * refuse.
 */
export const chatCompletionRequest = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(openAIMessage).min(1).max(1000),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  response_format: responseFormat.nullish(),
  tools: z
    .array(z.union([functionTool, z.looseObject({ type: z.string().min(1) })]))
    .max(128)
    .nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string().min(1) })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().max(256).optional(),
})
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>

/** `POST /v1/embeddings` body: one text or several (token arrays are not taken). */
export const embeddingsRequest = z.object({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().max(256).optional(),
})
export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>

/** One choice of a streamed chunk, as an OpenAI-compatible server sent it. */
export const openAIChunkChoice = z.looseObject({
  index: z.number().int().min(0),
  delta: z.looseObject({}).optional(),
  finish_reason: z.string().nullish(),
})
export type OpenAIChunkChoice = z.infer<typeof openAIChunkChoice>

/** One finished choice: the message (text, tool calls, refusal), its finish reason and log probabilities. */
export const openAIChoice = z.looseObject({
  index: z.number().int().min(0),
  message: z.looseObject({ role: z.literal('assistant'), content: z.string().nullable() }),
  finish_reason: z.string(),
})
export type OpenAIChoice = z.infer<typeof openAIChoice>

/** The OpenAI error body: `{"error": {"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}
