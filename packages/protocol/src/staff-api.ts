import { z } from 'zod'

// Request bodies and queries of the staff API (agent console and admin panel; docs/handoff.md).

const id = z.string().trim().min(1).max(64)
const text = z.string().trim().min(1, 'must not be empty').max(4000)

export const loginBody = z.object({ email: z.email().max(200), password: z.string().min(1).max(200) })

export const availabilityBody = z.object({ available: z.boolean() })

export const conversationListQuery = z.object({
  state: z.enum(['bot', 'waiting', 'agent', 'resolved']).optional(),
  mine: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ConversationListQuery = z.infer<typeof conversationListQuery>

export const staffTextBody = z.object({ text })

export const resolveBody = z.object({ rating: z.number().int().min(1).max(5).optional() })

export const transferBody = z.union([z.object({ staffId: id }).strict(), z.object({ teamId: id }).strict()])

export const cannedResponseBody = z.object({
  shortcut: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, _ or -, at most 32'),
  text,
})

export const createStaffBody = z.object({
  email: z.email().max(200),
  displayName: z.string().trim().min(1).max(64),
  password: z.string().min(10, 'at least 10 characters').max(200),
  role: z.enum(['admin', 'agent']),
  capacity: z.number().int().min(1).max(100).default(5),
  teamIds: z.array(id).max(50).default([]),
})

export const teamBody = z.object({
  name: z.string().trim().min(1).max(64),
  botIds: z.array(id).max(200).optional(),
  memberIds: z.array(id).max(500).optional(),
})
export const teamPatchBody = teamBody.partial()
