import { Prisma, rawRows, type ConversationState, type Db } from '@chorus/db'

// Open conversations an agent holds; auto-assignment keeps this under their capacity.
const holding = (staffId: string) => ({ assigneeId: staffId, state: 'agent' as const })

/** PostgreSQL access of the handoff service: who may take a conversation, and assignment. */
export class HandoffRepository {
  constructor(private readonly db: Db) {}

  findConversation(id: string) {
    return this.db.conversation.findUnique({
      where: { id },
      select: {
        id: true,
        state: true,
        botId: true,
        teamId: true,
        assigneeId: true,
        firstResponseAt: true,
        channel: { select: { kind: true, externalId: true } },
      },
    })
  }

  /**
   * Staff who may take conversations of `botId`: the members of the team it was transferred to,
   * else of the teams serving the bot, else — a bot no team serves — everyone. Admins are agents
   * too (as in Chatwoot): one who shows Available is given conversations like any agent. Least
   * recently assigned first (round-robin), restricted to `ids`.
   */
  async eligibleAgents(botId: string, teamId: string | null, ids: Iterable<string>) {
    const served = teamId ? 1 : await this.db.teamBot.count({ where: { botId } })
    const teams = teamId ? { teams: { some: { teamId } } } : served > 0 ? { teams: { some: { team: { bots: { some: { botId } } } } } } : {}
    return this.db.staff.findMany({
      where: { id: { in: [...ids] }, disabled: false, ...teams },
      orderBy: [{ lastAssignedAt: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
      select: { id: true, displayName: true, capacity: true },
    })
  }

  /**
   * Gives a waiting conversation to `staff` if they hold fewer than their capacity, atomically:
   * an advisory lock per agent serialises assignments, so two at once cannot overfill them.
   */
  async assignWithinCapacity(conversationId: string, staff: { id: string; capacity: number }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`assign:${staff.id}`}))`
      const held = await tx.conversation.count({ where: holding(staff.id) })
      if (held >= staff.capacity) return false
      const now = new Date()
      const { count } = await tx.conversation.updateMany({
        where: { id: conversationId, state: 'waiting' },
        data: { state: 'agent', assigneeId: staff.id, assignedAt: now },
      })
      if (count === 0) return false
      await tx.conversationEvent.create({
        data: { conversationId, fromState: 'waiting', toState: 'agent', actorType: 'system', actorId: staff.id, reason: 'auto-assigned' },
      })
      await tx.staff.update({ where: { id: staff.id }, data: { lastAssignedAt: now } })
      return true
    })
  }

  /** Waiting conversations, longest waiting first. */
  waiting(limit = 200) {
    return this.db.conversation.findMany({
      where: { state: 'waiting' },
      orderBy: { handoffAt: 'asc' },
      take: limit,
      select: { id: true },
    })
  }

  staffName(id: string) {
    return this.db.staff.findUnique({ where: { id }, select: { id: true, displayName: true, email: true, role: true, disabled: true } })
  }

  /**
   * How many of the bot's latest replies failed (or were not confident) in a row, newest first,
   * counting up to `max`. Replies to small talk are passed over: they are neither a failed answer
   * nor one that ends a run of them.
   */
  async failureStreak(conversationId: string, max: number): Promise<number> {
    const replies = await rawRows<Array<{ failed: boolean }>>(
      this.db,
      Prisma.sql`
      SELECT (meta->>'notice' = 'failure' OR meta->>'confidence' = 'low') IS TRUE AS failed
        FROM messages
       WHERE conversation_id = ${conversationId} AND role IN ('assistant', 'system') AND reply_to_id IS NOT NULL
         AND meta->'smallTalk' IS NULL
       ORDER BY id DESC
       LIMIT ${max}`,
    )
    const streak = replies.findIndex((reply) => !reply.failed)
    return streak === -1 ? replies.length : streak
  }

  /** Bot jobs still waiting for the model: cancelled when a person takes over. */
  async takeQueued(conversationId: string): Promise<bigint[]> {
    const queued = await this.db.message.findMany({
      where: { conversationId, role: 'user', status: 'queued' },
      select: { id: true },
    })
    if (queued.length > 0) {
      await this.db.message.updateMany({ where: { id: { in: queued.map((m) => m.id) }, status: 'queued' }, data: { status: 'delivered' } })
    }
    return queued.map((m) => m.id)
  }

  markFirstResponse(conversationId: string, at: Date) {
    return this.db.conversation.updateMany({ where: { id: conversationId, firstResponseAt: null }, data: { firstResponseAt: at } })
  }

  insertNote(conversationId: string, staffId: string, text: string) {
    return this.db.$transaction(async (tx) => {
      const { channelId } = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { channelId: true } })
      return tx.message.create({
        data: { conversationId, channelId, role: 'note', text, authorStaffId: staffId, status: 'stored' },
        select: { id: true, createdAt: true },
      })
    })
  }

  /** Stores a user's rating on a resolved conversation, once. */
  async rate(conversationId: string, rating: number): Promise<boolean> {
    const { count } = await this.db.conversation.updateMany({
      where: { id: conversationId, state: 'resolved', rating: null },
      data: { rating },
    })
    return count === 1
  }

  stateOf(id: string): Promise<{ state: ConversationState } | null> {
    return this.db.conversation.findUnique({ where: { id }, select: { state: true } })
  }
}
