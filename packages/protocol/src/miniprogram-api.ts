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

export const mpHistoryQuery = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
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
