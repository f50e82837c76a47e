import { Prisma, rawExecute, rawRows, type ChannelKind, type ConversationState, type Db, type MessageRole } from '@chorus/db'
import type { OutboxRoute } from '@chorus/protocol'
import type { HistoryItem } from './context.js'
import type { DeliveryFailure } from './delivery-failure.js'

/** A stored reply's route and what decides whether to send it now (`findReplyForDelivery`). */
export interface ReplyForDelivery {
  status: string
  role: MessageRole
  /** Not to be tried again before this time (ms; 0 when it never failed). */
  retryAt: number
  route: OutboxRoute
}

/** What a claim found (`claimDelivery`). */
export type DeliveryClaim =
  /** Claimed: what sending needs, and its meta as the claim found it (parts already sent, failed attempts). */
  | { kind: 'claimed'; text: string; role: 'assistant' | 'system' | 'agent'; meta: Record<string, unknown>; signature: string | null }
  /** Stored, but waiting out the backoff after a failed attempt. */
  | { kind: 'waiting' }
  /** Not to be sent by this claim: sent, claimed elsewhere, undeliverable, a note, or gone. */
  | { kind: 'gone' }

/** Route columns as a statement returns them (see `routeColumns`). */
interface RouteRow {
  conversationId: string
  botId: string
  channelKind: ChannelKind
  externalId: string
  title: string
  askerId: string | null
  askerName: string | null
}

/** A history message as `findPrompt` returns it, with its id and when it was written (ms). */
/**
 * `pendingTool`: a reply of the bot's that asks the user to confirm a tool call (docs/tools.md);
 * `authorId`: a user message's sender (who may confirm it).
 */
export type TimedHistoryItem = HistoryItem & { id: string; at: number; authorId?: string | null; pendingTool?: unknown }

/** What building a conversation's prompt starts from (`findPrompt`). */
export interface PromptContext {
  state: ConversationState
  botName: string
  persona: string
  enabled: boolean
  /** The bot's settings as stored (JSON text): parsed by the caller, which can keep them while they stay the same. */
  settings: string
  channelKind: ChannelKind
  channelTitle: string
  /** The question the prompt answers: the latest still waiting for the model, or the oldest (`oldestFirst`). */
  questionId: bigint | null
  /** The questions still waiting up to that one, oldest first (it last). */
  waitingIds: string[]
  /**
   * The history up to that question since the last /reset, oldest first (empty while the bot
   * may not answer). The context expiry, a bot setting, is the caller's to apply.
   */
  history: TimedHistoryItem[]
}

/**
 * Whom a reply mentions: the author of the message it answers (`question`, may be absent), else
 * the conversation's (`c`) own user, else the author of its latest user message.
 */
const askerJoins = Prisma.sql`
  LEFT JOIN end_users asked ON asked.id = question.author_user_id
  LEFT JOIN end_users owner ON owner.id = c.end_user_id
  LEFT JOIN LATERAL (
    SELECT latest_author.platform_id, latest_author.display_name
      FROM messages latest LEFT JOIN end_users latest_author ON latest_author.id = latest.author_user_id
     WHERE asked.id IS NULL AND owner.id IS NULL AND latest.conversation_id = c.id AND latest.role = 'user'
     ORDER BY latest.id DESC LIMIT 1
  ) latest ON true`

/** A reply's route (`RouteRow`), from the conversation `c`, its channel `ch` and `askerJoins`. */
const routeColumns = Prisma.sql`
  c.id AS "conversationId", ch.bot_id AS "botId", ch.kind::text AS "channelKind", ch.external_id AS "externalId", ch.title,
  COALESCE(asked.platform_id, owner.platform_id, latest.platform_id) AS "askerId",
  COALESCE(asked.display_name, owner.display_name, latest.display_name) AS "askerName"`

/** A reply's `retryAt` (ms) in its `meta`, null when it never failed. */
function retryAtOf(meta: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN jsonb_typeof(${meta}->'retryAt') = 'number' THEN (${meta}->>'retryAt')::float8 END`
}

function routeOf(row: RouteRow): OutboxRoute {
  return {
    conversationId: row.conversationId,
    botId: row.botId,
    channel: { kind: row.channelKind, externalId: row.externalId, title: row.title },
    asker: row.askerId === null ? null : { platformId: row.askerId, displayName: row.askerName ?? '' },
  }
}

/** All conversation-state access to PostgreSQL. */
export class ConversationRepository {
  constructor(private readonly db: Db) {}

  async ensureBot(name: string, persona = ''): Promise<{ id: string }> {
    return this.db.bot.upsert({ where: { name }, create: { name, persona }, update: {}, select: { id: true } })
  }

  findBot(id: string) {
    return this.db.bot.findUnique({ where: { id }, include: { modelEndpoint: { select: { name: true, enabled: true } } } })
  }

  /** The channel's id, the channel created on first use (its title kept up to date when one is given). */
  async ensureChannel(botId: string, kind: ChannelKind, externalId: string, title: string): Promise<{ id: string }> {
    const [row] = await rawRows<Array<{ id: string }>>(
      this.db,
      Prisma.sql`
        INSERT INTO channels (id, bot_id, kind, external_id, title, created_at)
        VALUES (gen_random_uuid()::text, ${botId}, ${kind}::"ChannelKind", ${externalId}, ${title}, ${new Date()})
        ON CONFLICT (bot_id, kind, external_id)
        DO UPDATE SET title = CASE WHEN ${title} <> '' THEN EXCLUDED.title ELSE channels.title END
        RETURNING id`,
    )
    return row!
  }

  /** The end user's id, the user created on first use (their display name kept up to date when one is given). */
  async ensureEndUser(platform: string, platformId: string, displayName: string): Promise<{ id: string }> {
    const [row] = await rawRows<Array<{ id: string }>>(
      this.db,
      Prisma.sql`
        INSERT INTO end_users (id, platform, platform_id, display_name, created_at)
        VALUES (gen_random_uuid()::text, ${platform}, ${platformId}, ${displayName}, ${new Date()})
        ON CONFLICT (platform, platform_id)
        DO UPDATE SET display_name = CASE WHEN ${displayName} <> '' THEN EXCLUDED.display_name ELSE end_users.display_name END
        RETURNING id`,
    )
    return row!
  }

  /**
   * The conversation of this scope resolved within the last 30 minutes that asked the user for a
   * rating and has none yet — unless a newer one is open (then the user has moved on).
   */
  async awaitingRating(channelId: string, scopeKey: string) {
    const open = await this.db.conversation.count({ where: { channelId, scopeKey, state: { not: 'resolved' } } })
    if (open > 0) return null
    return this.db.conversation.findFirst({
      where: { channelId, scopeKey, state: 'resolved', rating: null, ratingAskedAt: { gt: new Date(Date.now() - 30 * 60_000) } },
      orderBy: { resolvedAt: 'desc' },
    })
  }

  /**
   * Stores an inbound message in one statement: in the open conversation of its scope (created on
   * first use; concurrent messages of one scope meet in one) or in `conversationId` when given
   * (a resolved one awaiting the user's rating), whose last-message time it moves on. With
   * `queue`, a message the bot will put to the model unless its conversation is a person's, it is
   * stored `queued` while the conversation is the bot's (else `received`). Returns `duplicate`
   * when the channel already delivered the message, with where it was stored.
   */
  async storeInbound(input: {
    botId: string
    channelId: string
    scopeKey: string
    endUserId: string | null
    conversationId?: string
    authorUserId: string
    platformMessageId: string
    text: string
    meta: Prisma.InputJsonValue
    queue?: boolean
  }): Promise<{ duplicate: boolean; id: bigint; status: string; conversationId: string; state: ConversationState }> {
    const now = new Date()
    const target = input.conversationId ?? null
    const [row] = await rawRows<Array<{ conversationId: string; state: ConversationState; id: bigint | null; status: string | null }>>(
      this.db,
      Prisma.sql`
      WITH opened AS (
        INSERT INTO conversations (id, bot_id, channel_id, scope_key, end_user_id, last_message_at, created_at, updated_at)
        SELECT gen_random_uuid()::text, ${input.botId}, ${input.channelId}, ${input.scopeKey}, ${input.endUserId}, ${now}, ${now}, ${now}
         WHERE ${target}::text IS NULL
        ON CONFLICT (channel_id, scope_key) WHERE state <> 'resolved'
        DO UPDATE SET last_message_at = EXCLUDED.last_message_at, updated_at = EXCLUDED.updated_at
        RETURNING id, state
      ), surveyed AS (
        UPDATE conversations SET last_message_at = ${now}, updated_at = ${now} WHERE id = ${target}::text RETURNING id, state
      ), conversation AS (
        SELECT id, state FROM opened UNION ALL SELECT id, state FROM surveyed
      ), inserted AS (
        INSERT INTO messages (conversation_id, channel_id, role, text, author_user_id, platform_message_id, status, meta, created_at)
        SELECT conversation.id, ${input.channelId}, 'user', ${input.text}, ${input.authorUserId}, ${input.platformMessageId},
               (CASE WHEN ${input.queue ?? false} AND conversation.state = 'bot' THEN 'queued' ELSE 'received' END)::"MessageStatus",
               ${JSON.stringify(input.meta)}::jsonb, ${now}
          FROM conversation
        ON CONFLICT (channel_id, platform_message_id) DO NOTHING
        RETURNING id, status
      )
      SELECT conversation.id AS "conversationId", conversation.state::text AS state, inserted.id, inserted.status::text AS status
        FROM conversation LEFT JOIN inserted ON true`,
    )
    if (!row) throw new Error(`no conversation ${target} to store the message in`)
    if (row.id !== null) return { duplicate: false, id: row.id, status: row.status!, conversationId: row.conversationId, state: row.state }
    // Delivered before: the message as it was stored (perhaps in an earlier conversation).
    const existing = await this.db.message.findUniqueOrThrow({
      where: { channelId_platformMessageId: { channelId: input.channelId, platformMessageId: input.platformMessageId } },
      select: { id: true, status: true, conversationId: true },
    })
    return { duplicate: true, ...existing, state: row.state }
  }

  setStatus(id: bigint, status: 'received' | 'queued' | 'ignored' | 'answered' | 'refused' | 'failed' | 'delivered') {
    return this.db.message.update({ where: { id }, data: { status } })
  }

  /**
   * What building a conversation's prompt starts from, in one statement: its state and bot, its
   * channel, the latest question still waiting — or the oldest, `oldestFirst` — (null when none
   * is), the questions waiting up to it, and the history up to it since the last /reset (at most
   * `limit` messages, the latest), with the authors' names. A reply stands right after the
   * question it answers, and replies to earlier questions are in the history even when written
   * after this question was asked.
   */
  async findPrompt(conversationId: string, options: { oldestFirst?: boolean; limit?: number } = {}): Promise<PromptContext | null> {
    const { oldestFirst = false, limit = 100 } = options
    const [row] = await rawRows<
      Array<Omit<PromptContext, 'history'> & { history: Array<Omit<TimedHistoryItem, 'image'> & { image: unknown; pendingTool: unknown }> }>
    >(
      this.db,
      Prisma.sql`
      WITH context AS (
        SELECT c.id, c.state, c.context_reset_at, b.name AS bot_name, b.persona, b.enabled, b.settings, ch.kind, ch.title,
               (SELECT q.id FROM messages q
                 WHERE q.conversation_id = c.id AND q.role = 'user' AND q.status = 'queued'
                 ORDER BY q.id ${oldestFirst ? Prisma.sql`ASC` : Prisma.sql`DESC`} LIMIT 1) AS question
          FROM conversations c
          JOIN bots b ON b.id = c.bot_id
          JOIN channels ch ON ch.id = c.channel_id
         WHERE c.id = ${conversationId}
      )
      SELECT context.state::text AS state, context.bot_name AS "botName", context.persona, context.enabled, context.settings::text AS settings,
             context.kind::text AS "channelKind", context.title AS "channelTitle", context.question AS "questionId",
             COALESCE((
               SELECT jsonb_agg(q.id::text ORDER BY q.id) FROM messages q
                WHERE q.conversation_id = context.id AND q.role = 'user' AND q.status = 'queued' AND q.id <= context.question
             ), '[]'::jsonb) AS "waitingIds",
             COALESCE((
               SELECT jsonb_agg(jsonb_build_object('id', h.id::text, 'role', h.role, 'text', h.text, 'author', h.author, 'authorId', h.author_user_id, 'image', h.image, 'pendingTool', h.pending, 'at', h.at)
                                ORDER BY h.position, h.id)
                 FROM (
                   SELECT m.id, COALESCE(m.reply_to_id, m.id) AS position, m.role::text AS role, m.text, author.display_name AS author, m.author_user_id, m.meta->'image' AS image, m.meta->'pendingTool' AS pending,
                          (extract(epoch FROM m.created_at) * 1000)::float8 AS at
                     FROM messages m
                     LEFT JOIN end_users author ON author.id = m.author_user_id
                    WHERE m.conversation_id = context.id AND context.state = 'bot' AND context.enabled
                      AND (m.id <= context.question OR m.reply_to_id <= context.question)
                      AND m.status NOT IN ('ignored', 'refused', 'failed') AND m.role NOT IN ('system', 'note')
                      AND (context.context_reset_at IS NULL OR m.created_at > context.context_reset_at)
                    ORDER BY position DESC, m.id DESC
                    LIMIT ${limit}
                 ) h
             ), '[]'::jsonb) AS history
        FROM context`,
    )
    if (!row) return null
    const history = row.history.map(({ image, pendingTool, ...item }) => ({
      ...item,
      ...(typeof image === 'string' ? { image } : {}),
      ...(pendingTool ? { pendingTool } : {}),
    }))
    return { ...row, history }
  }

  /**
   * Takes the tool call reply `messageId` asked the user to confirm, once: true for the one
   * prompt that takes it (a retry, or a second yes, finds it gone and runs nothing).
   */
  async takePendingTool(messageId: bigint): Promise<boolean> {
    const rows = await rawRows<Array<{ id: bigint }>>(
      this.db,
      Prisma.sql`UPDATE messages SET meta = meta - 'pendingTool' WHERE id = ${messageId} AND meta->'pendingTool' IS NOT NULL RETURNING id`,
    )
    return rows.length > 0
  }

  /** Keeps an image message's picture with it, for the prompt of a vision model. */
  async attachImage(messageId: bigint, dataUrl: string): Promise<void> {
    const message = await this.db.message.findUniqueOrThrow({ where: { id: messageId }, select: { meta: true } })
    const meta = typeof message.meta === 'object' && message.meta && !Array.isArray(message.meta) ? message.meta : {}
    await this.db.message.update({ where: { id: messageId }, data: { meta: { ...meta, image: dataUrl } } })
  }

  /** Forget the conversation's history from now on (/reset). */
  async resetContext(conversationId: string): Promise<void> {
    await this.db.conversation.update({ where: { id: conversationId }, data: { contextResetAt: new Date() } })
  }

  /**
   * Changes a conversation's state from `from` to `to` (the same state for a transfer) with the
   * handoff facts in `data`, and records the event, atomically; false when the conversation was
   * no longer in `from` (or, with `assigneeId`, no longer that person's). Only the state machine
   * and the handoff service call this.
   */
  async changeState(
    conversationId: string,
    from: ConversationState,
    to: ConversationState,
    actor: { type: string; id?: string; reason: string },
    options: { data?: Prisma.ConversationUncheckedUpdateManyInput; assigneeId?: string | null } = {},
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.conversation.updateMany({
        where: { id: conversationId, state: from, ...(options.assigneeId !== undefined ? { assigneeId: options.assigneeId } : {}) },
        data: { ...options.data, state: to, ...(to === 'resolved' ? { resolvedAt: new Date() } : {}) },
      })
      if (count === 0) return false
      await tx.conversationEvent.create({
        data: { conversationId, fromState: from, toState: to, actorType: actor.type, actorId: actor.id ?? null, reason: actor.reason },
      })
      return true
    })
  }

  /** Prompts of a conversation still waiting for the model. */
  countQueued(conversationId: string) {
    return this.db.message.count({ where: { conversationId, role: 'user', status: 'queued' } })
  }

  /**
   * Stores the reply to `replyToId` once; a second call returns the first reply. A model's reply
   * whose prompt held other questions still waiting answers them too: those (`supersede`) are
   * marked `superseded`. Chorus's own notices are stored with role `system`, so they never enter
   * a prompt. The message answered gets `inboundStatus` (`answered` unless a notice says it was
   * not) in the same transaction. A reply stored by this call comes with its route, for its
   * outbox entry. `waitingId`: the conversation's oldest question still waiting after this reply
   * (null when none does, or a person owns the conversation).
   */
  async insertReply(
    data: {
      conversationId: string
      replyToId: bigint
      text: string
      promptTokens: number
      completionTokens: number
      meta?: Prisma.InputJsonValue
    },
    options: {
      /** Other questions of the conversation this reply answers (its prompt held them). */
      supersede?: bigint[]
      role: 'assistant' | 'system'
      inboundStatus?: 'answered' | 'ignored' | 'refused' | 'failed'
      /** Store nothing unless the bot still owns the conversation (the model's replies and failures). */
      onlyWhileBot?: boolean
    },
  ): Promise<{ id: bigint | null; created: boolean; route?: OutboxRoute; waitingId: bigint | null }> {
    const { role, inboundStatus = 'answered', onlyWhileBot = false } = options
    const supersede = (options.supersede ?? []).map(String)
    // One statement: the conversation's row lock (so a person taking over waits for this reply or
    // this reply sees them: the model never answers a conversation a person owns), the reply, the
    // question's new status, the other questions this answer covers, the reply's route, and the
    // question left waiting.
    const [row] = await rawRows<Array<{ id: bigint | null; allowed: boolean; waitingId: bigint | null } & RouteRow>>(
      this.db,
      Prisma.sql`
      WITH conversation AS (
        SELECT state FROM conversations WHERE id = ${data.conversationId} FOR UPDATE
      ), permission AS (
        SELECT (NOT ${onlyWhileBot}) OR EXISTS (SELECT 1 FROM conversation WHERE state = 'bot') AS allowed
      ), reply AS (
        INSERT INTO messages (conversation_id, channel_id, role, text, reply_to_id, status, prompt_tokens, completion_tokens, meta, created_at)
        SELECT ${data.conversationId}, question.channel_id, ${role}::"MessageRole", ${data.text}, question.id, 'stored',
               ${data.promptTokens}, ${data.completionTokens}, ${JSON.stringify(data.meta ?? {})}::jsonb, ${new Date()}
          FROM messages question, permission
         WHERE question.id = ${data.replyToId} AND permission.allowed
        ON CONFLICT (reply_to_id) DO NOTHING
        RETURNING id
      ), answered AS (
        UPDATE messages SET status = ${inboundStatus}::"MessageStatus"
         WHERE id = ${data.replyToId} AND EXISTS (SELECT 1 FROM reply)
      ), handed_over AS (
        UPDATE messages SET status = 'delivered'
         WHERE id = ${data.replyToId} AND status = 'queued' AND NOT (SELECT allowed FROM permission)
      ), superseded AS (
        UPDATE messages SET status = 'superseded'
         WHERE id = ANY(${supersede}::text[]::bigint[]) AND id <> ${data.replyToId}
           AND conversation_id = ${data.conversationId} AND role = 'user' AND status = 'queued' AND EXISTS (SELECT 1 FROM reply)
      ), routed AS (
        SELECT reply.id, ${routeColumns}
          FROM reply
          JOIN messages question ON question.id = ${data.replyToId}
          JOIN conversations c ON c.id = ${data.conversationId}
          JOIN channels ch ON ch.id = question.channel_id
          ${askerJoins}
      )
      SELECT permission.allowed, routed.*,
             (SELECT min(w.id) FROM messages w
               WHERE w.conversation_id = ${data.conversationId} AND w.role = 'user' AND w.status = 'queued'
                 AND w.id <> ${data.replyToId} AND NOT (w.id = ANY(${supersede}::text[]::bigint[]))) AS "waitingId"
        FROM permission LEFT JOIN routed ON true`,
    )
    // A person owns the conversation: nothing stored, and the question no longer waits.
    if (!row?.allowed) return { id: null, created: false, waitingId: null }
    const { waitingId } = row
    if (row.id != null) return { id: row.id, created: true, route: routeOf(row), waitingId }
    // Stored already (a job completed twice): the reply that exists.
    const existing = await this.db.message.findUnique({ where: { replyToId: data.replyToId }, select: { id: true } })
    if (!existing) throw new Error(`no question ${data.replyToId} to reply to`)
    return { id: existing.id, created: false, waitingId }
  }

  /**
   * Stores a message Chorus sends on its own, not in answer to one (a handoff notice, an agent's
   * reply), ready for delivery.
   */
  insertOutbound(data: {
    conversationId: string
    role: 'agent' | 'system'
    text: string
    authorStaffId?: string
    meta?: Prisma.InputJsonValue
  }) {
    return this.db.$transaction(async (tx) => {
      const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: data.conversationId }, select: { channelId: true } })
      return tx.message.create({
        data: { ...data, channelId: conversation.channelId, status: 'stored', meta: data.meta ?? {} },
        select: { id: true, createdAt: true },
      })
    })
  }

  /**
   * Claims a stored reply for sending (`stored → delivered`), so it goes out once, unless it is
   * waiting out the backoff after a failed attempt; returns what sending it needs, in one statement.
   */
  async claimDelivery(replyId: bigint): Promise<DeliveryClaim> {
    const now = new Date()
    const [row] = await rawRows<
      Array<
        { status: string; retryAt: number | null; claimed: boolean } & Partial<Omit<Extract<DeliveryClaim, { kind: 'claimed' }>, 'kind'>>
      >
    >(
      this.db,
      Prisma.sql`
      WITH target AS (
        SELECT id, status, ${retryAtOf(Prisma.sql`meta`)} AS "retryAt" FROM messages WHERE id = ${replyId}
      ), claimed AS (
        UPDATE messages m SET status = 'delivered', delivered_at = ${now}
          FROM target
         WHERE m.id = target.id AND m.status = 'stored' AND m.role IN ('assistant', 'system', 'agent')
           AND COALESCE(${retryAtOf(Prisma.sql`m.meta`)}, 0) <= ${now.getTime()}::float8
     RETURNING m.text, m.role, m.meta, m.author_staff_id
      )
      SELECT target.status::text AS status, target."retryAt", claimed.role IS NOT NULL AS claimed,
             claimed.text, claimed.role::text AS role, claimed.meta,
             NULLIF(COALESCE(NULLIF(staff.display_name, ''), staff.email), '') AS signature
        FROM target
        LEFT JOIN claimed ON true
        LEFT JOIN staff ON staff.id = claimed.author_staff_id`,
    )
    if (row?.claimed) return { kind: 'claimed', text: row.text!, role: row.role!, meta: row.meta ?? {}, signature: row.signature ?? null }
    return row?.status === 'stored' && (row.retryAt ?? 0) > now.getTime() ? { kind: 'waiting' } : { kind: 'gone' }
  }

  /**
   * Gives a claimed reply back after a delivery attempt failed, so a later attempt can send it,
   * not before `retryAt` (every process's consumer waits for it). `countAttempt` false when the
   * channel itself was away (the WeChat account logged out): that says nothing about the reply.
   */
  async releaseFailedDelivery(replyId: bigint, retryAt: Date, countAttempt: boolean): Promise<void> {
    const attempts = countAttempt ? 1 : 0
    await rawExecute(
      this.db,
      Prisma.sql`
      UPDATE messages
         SET status = 'stored', delivered_at = NULL,
             meta = meta || jsonb_build_object(
               'deliveryAttempts', COALESCE((meta->>'deliveryAttempts')::int, 0) + ${attempts}::int,
               'retryAt', ${retryAt.getTime()}::bigint)
       WHERE id = ${replyId} AND status = 'delivered'`,
    )
  }

  /**
   * Marks a claimed reply as refused for good by its channel (or out of retries), with why, and
   * writes the audit entry in the same transaction. False when it was not claimed.
   */
  async markUndeliverable(replyId: bigint, failure: DeliveryFailure): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const updated = await tx.$executeRaw`
        UPDATE messages SET status = 'undeliverable', delivered_at = NULL,
               meta = jsonb_set(meta, '{delivery}', ${JSON.stringify(failure)}::jsonb)
         WHERE id = ${replyId} AND status = 'delivered'`
      if (updated !== 1) return false
      await tx.auditLog.create({
        data: {
          actorType: 'system',
          action: 'message.undeliverable',
          targetType: 'message',
          targetId: String(replyId),
          data: {
            reason: failure.reason,
            attempts: failure.attempts,
            ...(failure.errcode === undefined ? {} : { errcode: failure.errcode }),
          },
        },
      })
      return true
    })
  }

  /**
   * A customer-service reply's window: when the user last wrote in its channel, and how many
   * messages (parts) went there since, by when they were sent — this reply's own parts sent
   * earlier included.
   */
  async replyWindow(replyId: bigint): Promise<{ lastMessageAt: Date | null; sentSince: number }> {
    const [row] = await rawRows<Array<{ lastMessageAt: Date | null; sentSince: number }>>(
      this.db,
      Prisma.sql`
      SELECT last.created_at AS "lastMessageAt",
             (SELECT COALESCE(SUM((sent.meta->>'sentParts')::int), 0)::int FROM messages sent
               WHERE sent.channel_id = reply.channel_id AND sent.role <> 'user'
                 AND sent.created_at > last.created_at - interval '1 day'
                 AND (sent.meta->>'sentAt')::timestamp > last.created_at) AS "sentSince"
        FROM messages reply
        LEFT JOIN LATERAL (
          SELECT created_at FROM messages asked
           WHERE asked.channel_id = reply.channel_id AND asked.role = 'user'
           ORDER BY asked.id DESC LIMIT 1
        ) last ON true
       WHERE reply.id = ${replyId}`,
    )
    return { lastMessageAt: row?.lastMessageAt ?? null, sentSince: row?.sentSince ?? 0 }
  }

  /** Records how many parts of a reply are out, and when the last went (a retry resumes after them; the reply window counts them). */
  async recordSentParts(replyId: bigint, count: number): Promise<void> {
    await rawExecute(
      this.db,
      Prisma.sql`
      UPDATE messages SET meta = meta || jsonb_build_object('sentParts', ${count}::int, 'sentAt', ${new Date().toISOString()}::text)
       WHERE id = ${replyId}`,
    )
  }

  /**
   * Questions stored between `from` and `to` and still waiting for the model (`queued`), in
   * conversations the bot still answers, oldest first.
   */
  waitingQuestions(from: Date, to: Date, limit: number) {
    return this.db.message.findMany({
      where: { role: 'user', status: 'queued', createdAt: { gte: from, lt: to }, conversation: { state: 'bot', bot: { enabled: true } } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, conversationId: true, channelId: true, authorUserId: true, channel: { select: { kind: true, botId: true } } },
    })
  }

  /** Replies and notices stored between `from` and `to` and not delivered yet, oldest first (notes are never delivered). */
  undeliveredReplies(from: Date, to: Date, limit: number) {
    return this.db.message.findMany({
      where: { status: 'stored', role: { in: ['assistant', 'system', 'agent'] }, createdAt: { gte: from, lt: to } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, channel: { select: { kind: true, botId: true } } },
    })
  }

  /** The conversation's own user on a platform (a mini-program user's openid), if it has one. */
  async endUserOf(conversationId: string): Promise<{ id: string; platform: string; platformId: string } | null> {
    const conversation = await this.db.conversation.findUnique({
      where: { id: conversationId },
      select: { endUser: { select: { id: true, platform: true, platformId: true } } },
    })
    return conversation?.endUser ?? null
  }

  /**
   * A stored reply's route (its channel, whom it mentions) and whether it may be sent now, in one
   * statement: for outbox entries that carry no route, or are read again.
   */
  async findReplyForDelivery(replyId: bigint): Promise<ReplyForDelivery | null> {
    const [row] = await rawRows<Array<RouteRow & { status: string; role: MessageRole; retryAt: number | null }>>(
      this.db,
      Prisma.sql`
      SELECT m.status::text AS status, m.role::text AS role, ${retryAtOf(Prisma.sql`m.meta`)} AS "retryAt", ${routeColumns}
        FROM messages m
        JOIN channels ch ON ch.id = m.channel_id
        JOIN conversations c ON c.id = m.conversation_id
        LEFT JOIN messages question ON question.id = m.reply_to_id
        ${askerJoins}
       WHERE m.id = ${replyId}`,
    )
    if (!row) return null
    return { status: row.status, role: row.role, retryAt: row.retryAt ?? 0, route: routeOf(row) }
  }
}
