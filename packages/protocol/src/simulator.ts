import { z } from 'zod'

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine((v) => !/[\u0000-\u001f]/.test(v), 'must not contain control characters')

/** `POST /api/simulator/messages`: a simulated contact says something. */
export const simulatorPostBody = z
  .strictObject({
    /** Which simulated account (bot name) to talk to; needed only when several bots run. */
    bot: name.optional(),
    room: name.optional(),
    from: name,
    text: z.string().max(16_384, 'must be at most 16384 characters').default(''),
    /** Names of room members the message @mentions; "@Name" in the text is also understood. */
    mentions: z.array(name).max(50).optional(),
    /** What is sent: text by default; media arrive as WeChat delivers them, without text. */
    kind: z.enum(['text', 'image', 'voice', 'file', 'link', 'mini_program', 'red_packet']).default('text'),
    /** The id of an earlier line of the same chat that this message quotes (replies to). */
    quote: z
      .string()
      .regex(/^\d+-\d+$/)
      .optional(),
    /** With kind "image": the picture, base64-encoded PNG or JPEG (at most about 2 MB). */
    image: z
      .string()
      .max(2_800_000)
      .regex(/^[A-Za-z0-9+/=]+$/, 'must be base64')
      .optional(),
    /** A platform message id of the caller's choosing: posting the same id again re-delivers that message. */
    id: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'text' && !body.text.trim()) ctx.addIssue({ code: 'custom', path: ['text'], message: 'must not be empty' })
  })
export type SimulatorPostBody = z.infer<typeof simulatorPostBody>
export type SimulatorCommandInput = z.input<typeof simulatorCommand>

/** `GET /api/simulator/messages` query. */
export const simulatorListQuery = z.strictObject({
  bot: name.optional(),
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
  kind: z.enum(['text', 'image', 'voice', 'file', 'link', 'mini_program', 'red_packet']).default('text'),
  image: z.string().optional(),
})
export type SimulatorCommand = z.infer<typeof simulatorCommand>
