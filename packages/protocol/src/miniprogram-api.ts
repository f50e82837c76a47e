import { z } from 'zod'

// Request bodies and queries of the mini-program API (/mp/v1, docs/miniprogram.md).

export const mpLoginBody = z.object({ code: z.string().trim().min(1).max(128), bot: z.string().trim().min(1).max(64).optional() })

/** The longest message a mini-program user may send. */
export const mpMaxTextLength = 1000

export const mpMessageBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(mpMaxTextLength, `at most ${mpMaxTextLength} characters`),
  /** The client's id for the message: sending it again (a retry) is not a second message. */
  id: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
})

/** A message id as a string: a whole number within PostgreSQL's bigint (at most 2^63 − 1). */
export const messageIdText = z
  .string()
  .refine((value) => /^\d{1,19}$/.test(value) && BigInt(value) <= 9_223_372_036_854_775_807n, 'a message id')

export const mpHistoryQuery = z.object({
  before: messageIdText.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})

export const mpSubscriptionBody = z.object({ templateId: z.string().trim().min(1).max(128), accepted: z.boolean() })

export const mpPushQuery = z.object({
  signature: z.string().max(100).optional(),
  timestamp: z.string().regex(/^\d{1,13}$/),
  nonce: z.string().min(1).max(100),
  echostr: z.string().max(1000).optional(),
  encrypt_type: z.string().max(20).optional(),
  msg_signature: z.string().max(100).optional(),
})
export type MpPushQuery = z.infer<typeof mpPushQuery>
