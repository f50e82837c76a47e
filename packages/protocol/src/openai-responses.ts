import { z } from 'zod'

const inputText = z.looseObject({ type: z.enum(['input_text', 'output_text']), text: z.string() })
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1),
  detail: z.enum(['low', 'high', 'auto']).optional(),
})

/** An input item of the Responses API: a message, a function call the model made, or its output. */
export const responsesInputItem = z.union([
  z.looseObject({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(z.union([inputText, inputImage])).min(1)]),
  }),
  z.looseObject({ type: z.literal('function_call'), call_id: z.string().min(1), name: z.string().min(1), arguments: z.string() }),
  z.looseObject({ type: z.literal('function_call_output'), call_id: z.string().min(1), output: z.string() }),
])
export type ResponsesInputItem = z.infer<typeof responsesInputItem>

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1).max(64),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
])

/**
 * `POST /v1/responses` body: the part of OpenAI's Responses API that maps onto a chat completion
 * (text and image input, instructions, function tools, structured output). Nothing is stored:
 * fields beyond these are refused by the route, naming them.
 */
export const responsesRequest = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(responsesInputItem).min(1).max(1000)]),
  instructions: z.string().nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stream: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  tools: z
    .array(
      z.looseObject({
        type: z.literal('function'),
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name is 1 to 64 letters, digits, _ or -'),
        description: z.string().nullish(),
        parameters: z.record(z.string(), z.unknown()).nullish(),
        strict: z.boolean().nullish(),
      }),
    )
    .max(128)
    .nullish(),
  tool_choice: z
    .union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), name: z.string().min(1) })])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  /** Nothing is stored: only `false` is taken. */
  store: z.literal(false, { error: 'responses are not stored here: store must be false or absent' }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().max(256).optional(),
})
export type ResponsesRequest = z.infer<typeof responsesRequest>
