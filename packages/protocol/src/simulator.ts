import { z } from 'zod'

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine((v) => !/[\u0000-\u001f]/.test(v), 'must not contain control characters')

/** `POST /api/simulator/messages`: a simulated contact says something. */
export const simulatorPostBody = z.strictObject({
  room: name.optional(),
  from: name,
  text: z.string().min(1, 'must not be empty').max(16_384, 'must be at most 16384 characters'),
  /** Names of room members the message @mentions; "@Name" in the text is also understood. */
  mentions: z.array(name).max(50).optional(),
})
export type SimulatorPostBody = z.infer<typeof simulatorPostBody>

/** `GET /api/simulator/messages` query. */
export const simulatorListQuery = z.strictObject({
  room: name.optional(),
  from: name.optional(),
  after: z
    .string()
    .regex(/^\d+-\d+$/, 'must be a message id returned by this API')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export type SimulatorListQuery = z.infer<typeof simulatorListQuery>

/** One line of a simulated chat, as the contract shows it. */
export const simulatorMessage = z.object({
  id: z.string(),
  room: z.string().nullable(),
  from: z.string(),
  text: z.string(),
  at: z.string(),
  self: z.boolean(),
})
export type SimulatorMessage = z.infer<typeof simulatorMessage>

/** A command from the API to the bot process that hosts the simulated WeChat. */
export const simulatorCommand = z.object({
  id: z.string(),
  room: z.string().optional(),
  from: z.string(),
  text: z.string(),
  mentions: z.array(z.string()),
})
export type SimulatorCommand = z.infer<typeof simulatorCommand>
