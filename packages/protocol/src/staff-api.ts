import { z } from 'zod'

// Request bodies and queries of the staff API (agent console and admin panel; docs/handoff.md).

const id = z.string().trim().min(1).max(64)
const text = z.string().trim().min(1, 'must not be empty').max(4000)
/** A date (`2026-01-31`, midnight UTC) or a date and time with its offset (`2026-01-31T08:00:00+08:00`). */
const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()])
const contains = z.string().trim().min(1).max(200)

export const loginBody = z.object({ email: z.email().max(200), password: z.string().min(1).max(200) })

export const availabilityBody = z.object({ available: z.boolean() })

/** Which conversations: the inbox's search and the export share these. */
export const conversationFilters = z.object({
  /** `all` for every state; without it the inbox leaves resolved conversations out. */
  state: z.enum(['bot', 'waiting', 'agent', 'resolved', 'all']).optional(),
  /** Message text, the user's or the group's name. */
  q: z.string().trim().max(200).optional(),
  botId: id.optional(),
  /** The user's display name contains this. */
  user: contains.optional(),
  /** The channel's title (a group's name) contains this. */
  group: contains.optional(),
  /** The last message at or after this. */
  from: isoDate.optional(),
  /** The last message before this. */
  to: isoDate.optional(),
})
export type ConversationFilters = z.infer<typeof conversationFilters>

export const conversationListQuery = conversationFilters.extend({
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ConversationListQuery = z.infer<typeof conversationListQuery>

export const conversationExportQuery = conversationFilters.extend({ format: z.enum(['csv', 'json']).default('csv') })
export type ConversationExportQuery = z.infer<typeof conversationExportQuery>

export const staffTextBody = z.object({ text })

export const resolveBody = z.object({ rating: z.number().int().min(1).max(5).optional() })

export const transferBody = z.union([z.object({ staffId: id }).strict(), z.object({ teamId: id }).strict()])
export type TransferBody = z.infer<typeof transferBody>

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

export const staffPatchBody = z
  .object({
    displayName: z.string().trim().min(1).max(64),
    role: z.enum(['admin', 'agent']),
    capacity: z.number().int().min(1).max(100),
    disabled: z.boolean(),
    /** Replaces the member's teams. */
    teamIds: z.array(id).max(50),
  })
  .partial()

export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10, 'at least 10 characters').max(200),
})

export const apiKeyBody = z.object({ name: z.string().trim().min(1).max(64) })

export const auditQuery = z.object({
  actor: id.optional(),
  /** The start of the action, e.g. `api_key.` or `conversation.claim`. */
  action: z.string().trim().min(1).max(64).optional(),
  targetType: z.string().trim().min(1).max(64).optional(),
  targetId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Entries older than this id (the last id of the previous page). */
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'an audit entry id')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type AuditQuery = z.infer<typeof auditQuery>
