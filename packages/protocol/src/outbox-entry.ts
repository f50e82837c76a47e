import { z } from 'zod'

/**
 * Where a stored reply goes and whom it mentions, carried by its outbox entry so that the
 * channel's delivery process paces and sends it without reading it first.
 */
export const outboxRoute = z.object({
  conversationId: z.string(),
  botId: z.string(),
  channel: z.object({
    kind: z.enum(['wechat_group', 'wechat_private', 'miniprogram', 'api', 'wecom_kf']),
    externalId: z.string(),
    title: z.string(),
  }),
  /** The person the reply mentions in a group; null for nobody. */
  asker: z.object({ platformId: z.string(), displayName: z.string() }).nullable(),
})
export type OutboxRoute = z.infer<typeof outboxRoute>
