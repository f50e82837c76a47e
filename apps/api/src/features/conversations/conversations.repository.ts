import type { Db, Prisma } from '@chorus/db'
import {
  recordedToolCall,
  type ConversationDetail,
  type ConversationFilters,
  type ConversationListQuery,
  type ConversationSummary,
  type RecordedToolCall,
} from '@chorus/protocol'
import type { HistoryEntry } from './user-questions.js'

export interface Viewer {
  id: string
  role: 'admin' | 'agent'
}

const summarySelect = {
  id: true,
  state: true,
  teamId: true,
  lastMessageAt: true,
  handoffAt: true,
  handoffReason: true,
  rating: true,
  bot: { select: { id: true, name: true } },
  channel: { select: { kind: true, title: true } },
  endUser: { select: { id: true, displayName: true } },
  assignee: { select: { id: true, displayName: true } },
  messages: {
    where: { role: { not: 'note' } },
    orderBy: { id: 'desc' },
    take: 1,
    select: { text: true, role: true, createdAt: true },
  },
} satisfies Prisma.ConversationSelect

/** A message as staff read it: the author's name, whoever wrote it. */
const messageSelect = {
  id: true,
  role: true,
  text: true,
  status: true,
  meta: true,
  createdAt: true,
  authorUser: { select: { displayName: true } },
  authorStaff: { select: { displayName: true } },
} satisfies Prisma.MessageSelect

/** The reason code a refused reply keeps in `meta.delivery` (packages/conversation DeliveryFailure). */
function undeliverableReason(meta: Prisma.JsonValue): string {
  const delivery = (meta as { delivery?: { reason?: unknown } } | null)?.delivery
  return typeof delivery?.reason === 'string' ? delivery.reason : 'refused'
}

/** The tool calls a reply keeps in `meta.toolCalls` (packages/tools); any that do not read as one are left out. */
function toolCallsOf(meta: Prisma.JsonValue): RecordedToolCall[] | undefined {
  const calls = (meta as { toolCalls?: unknown } | null)?.toolCalls
  if (!Array.isArray(calls)) return undefined
  return calls.flatMap((call) => {
    const parsed = recordedToolCall.safeParse(call)
    return parsed.success ? [parsed.data] : []
  })
}

type SummaryRow = Prisma.ConversationGetPayload<{ select: typeof summarySelect }>

/** A conversation as the inbox shows it (docs/handoff.md `Summary`). */
function toSummary(row: SummaryRow): ConversationSummary {
  const last = row.messages[0]
  return {
    id: row.id,
    state: row.state,
    bot: row.bot,
    channel: row.channel,
    user: row.endUser,
    assignee: row.assignee,
    teamId: row.teamId,
    lastMessage: last ? { text: last.text.slice(0, 200), role: last.role, at: last.createdAt.toISOString() } : null,
    lastMessageAt: row.lastMessageAt.toISOString(),
    handoffAt: row.handoffAt?.toISOString() ?? null,
    handoffReason: row.handoffReason,
    rating: row.rating,
  }
}

/** The conversations staff may see and the queries of the agent console. */
export class ConversationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * What a member of staff may see: admins everything; an agent the conversations of bots their
   * teams serve (or bots no team serves), those transferred to their teams, and their own.
   */
  visibleTo(viewer: Viewer): Prisma.ConversationWhereInput {
    if (viewer.role === 'admin') return {}
    const member = { members: { some: { staffId: viewer.id } } }
    return {
      OR: [{ bot: { teams: { none: {} } } }, { bot: { teams: { some: { team: member } } } }, { team: member }, { assigneeId: viewer.id }],
    }
  }

  /** The bots and teams whose conversations an agent sees (for filtering live events). */
  async scopeOf(viewer: Viewer): Promise<{ botIds: Set<string>; teamIds: Set<string> }> {
    const [bots, teams] = await Promise.all([
      this.db.bot.findMany({
        where: { OR: [{ teams: { none: {} } }, { teams: { some: { team: { members: { some: { staffId: viewer.id } } } } } }] },
        select: { id: true },
      }),
      this.db.teamMember.findMany({ where: { staffId: viewer.id }, select: { teamId: true } }),
    ])
    return { botIds: new Set(bots.map((b) => b.id)), teamIds: new Set(teams.map((t) => t.teamId)) }
  }

  /** 'ok', or why the viewer may not act on the conversation. */
  async access(viewer: Viewer, conversationId: string): Promise<'ok' | 'missing' | 'forbidden'> {
    const visible = await this.db.conversation.count({ where: { AND: [{ id: conversationId }, this.visibleTo(viewer)] } })
    if (visible > 0) return 'ok'
    return (await this.db.conversation.count({ where: { id: conversationId } })) > 0 ? 'forbidden' : 'missing'
  }

  /** The conversations the viewer may see that match the filters (of every state unless `state` says). */
  matching(viewer: Viewer, query: ConversationFilters): Prisma.ConversationWhereInput {
    const filters: Prisma.ConversationWhereInput[] = [this.visibleTo(viewer)]
    const contains = (text: string) => ({ contains: text, mode: 'insensitive' as const })
    if (query.state && query.state !== 'all') filters.push({ state: query.state })
    if (query.botId) filters.push({ botId: query.botId })
    if (query.user) filters.push({ endUser: { displayName: contains(query.user) } })
    if (query.group) filters.push({ channel: { title: contains(query.group) } })
    if (query.from) filters.push({ lastMessageAt: { gte: new Date(query.from) } })
    if (query.to) filters.push({ lastMessageAt: { lt: new Date(query.to) } })
    if (query.q) {
      filters.push({
        OR: [
          { messages: { some: { text: contains(query.q), role: { not: 'note' } } } },
          { endUser: { displayName: contains(query.q) } },
          { channel: { title: contains(query.q) } },
        ],
      })
    }
    return { AND: filters }
  }

  /** The inbox: without a state, resolved conversations are left out (but for `mine`, which means "with me"). */
  async list(viewer: Viewer, query: ConversationListQuery) {
    const filters: Prisma.ConversationWhereInput[] = [this.matching(viewer, query)]
    if (!query.state && query.mine !== 'true') filters.push({ state: { not: 'resolved' } })
    if (query.mine === 'true') filters.push({ assigneeId: viewer.id, ...(query.state ? {} : { state: 'agent' }) })
    const rows = await this.db.conversation.findMany({
      where: { AND: filters },
      orderBy: { lastMessageAt: 'desc' },
      take: query.limit,
      select: summarySelect,
    })
    return rows.map(toSummary)
  }

  async counts(viewer: Viewer): Promise<{ waiting: number; mine: number; all: number }> {
    const scope = this.visibleTo(viewer)
    const [waiting, mine, all] = await Promise.all([
      this.db.conversation.count({ where: { AND: [scope, { state: 'waiting' }] } }),
      this.db.conversation.count({ where: { assigneeId: viewer.id, state: 'agent' } }),
      this.db.conversation.count({ where: { AND: [scope, { state: { not: 'resolved' } }] } }),
    ])
    return { waiting, mine, all }
  }

  async summary(id: string): Promise<ConversationSummary> {
    return toSummary(await this.db.conversation.findUniqueOrThrow({ where: { id }, select: summarySelect }))
  }

  /** The whole conversation for the agent: summary, handoff note, events and (the latest 500) messages. */
  async detail(id: string): Promise<ConversationDetail> {
    const [summary, extra, events, messages] = await Promise.all([
      this.summary(id),
      this.db.conversation.findUniqueOrThrow({
        where: { id },
        select: { summary: true, summarySource: true, createdAt: true, endUser: { select: { platform: true } } },
      }),
      this.db.conversationEvent.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' }, take: 200 }),
      this.db.message.findMany({
        where: { conversationId: id },
        orderBy: { id: 'desc' },
        take: 500,
        select: messageSelect,
      }),
    ])
    const staffIds = [...new Set(events.filter((e) => e.actorType === 'staff' && e.actorId).map((e) => e.actorId!))]
    const names = new Map(
      (await this.db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } })).map((s) => [
        s.id,
        s.displayName,
      ]),
    )
    return {
      ...summary,
      summary: extra.summary,
      // Summaries from before their source was stored were all the model's.
      summarySource: extra.summary === null ? null : extra.summarySource === 'extractive' ? 'extractive' : 'model',
      createdAt: extra.createdAt.toISOString(),
      events: events.map((e) => ({
        fromState: e.fromState,
        toState: e.toState,
        actor: { type: e.actorType, id: e.actorId, name: e.actorId ? (names.get(e.actorId) ?? null) : null },
        reason: e.reason,
        at: e.createdAt.toISOString(),
      })),
      messages: messages.reverse().map((m) => ({
        id: String(m.id),
        role: m.role,
        text: m.text,
        status: m.status,
        // Why the channel refused it (docs/handoff.md): shown to the agent beside the message.
        undeliverable: m.status === 'undeliverable' ? undeliverableReason(m.meta) : null,
        at: m.createdAt.toISOString(),
        author: m.authorStaff?.displayName ?? m.authorUser?.displayName ?? null,
        toolCalls: toolCallsOf(m.meta),
      })),
    }
  }

  /** The export's next batch: messages (notes left out) of the matching conversations after message `afterId`, oldest first. */
  exportBatch(where: Prisma.ConversationWhereInput, afterId: bigint, take: number) {
    return this.db.message.findMany({
      where: { id: { gt: afterId }, role: { not: 'note' }, conversation: where },
      orderBy: { id: 'asc' },
      take,
      select: {
        ...messageSelect,
        conversation: {
          select: {
            id: true,
            state: true,
            bot: { select: { name: true } },
            channel: { select: { kind: true, title: true } },
            endUser: { select: { displayName: true } },
          },
        },
      },
    })
  }

  /** The conversation's history as the model should read it for a summary or suggestions. */
  transcript(id: string, limit = 60) {
    return this.db.message.findMany({
      where: { conversationId: id, role: { not: 'note' } },
      orderBy: { id: 'desc' },
      take: limit,
      select: { role: true, text: true, authorUser: { select: { displayName: true } } },
    })
  }

  /** The user's messages (each with the reply stored for it) and the agents', oldest first: the latest `limit`. */
  async questionHistory(id: string, limit = 200): Promise<HistoryEntry[]> {
    const rows = await this.db.message.findMany({
      where: { conversationId: id, role: { in: ['user', 'agent'] } },
      orderBy: { id: 'desc' },
      take: limit,
      select: { role: true, text: true, status: true, reply: { select: { role: true, text: true, meta: true } } },
    })
    return rows.reverse().map((m) => ({ ...m, role: m.role === 'agent' ? 'agent' : 'user' }))
  }

  /** What agent assist needs of a conversation besides its messages. */
  assistContext(id: string) {
    return this.db.conversation.findUniqueOrThrow({ where: { id }, select: { botId: true, handoffReason: true } })
  }

  saveSummary(id: string, summary: string, source: 'model' | 'extractive') {
    return this.db.conversation.update({ where: { id }, data: { summary, summarySource: source }, select: { id: true } })
  }

  /**
   * Waiting or newly taken conversations whose handoff has no summary yet; with `replaceExtractive`
   * (the pool has a model now), also those whose summary was written without one.
   */
  needingSummary(options: { replaceExtractive: boolean }, limit = 5) {
    return this.db.conversation.findMany({
      where: {
        state: { in: ['waiting', 'agent'] },
        handoffAt: { not: null },
        OR: [{ summary: null }, ...(options.replaceExtractive ? [{ summarySource: 'extractive' }] : [])],
      },
      orderBy: { handoffAt: 'asc' },
      take: limit,
      select: { id: true },
    })
  }

  botOf(conversationId: string) {
    return this.db.conversation.findUnique({ where: { id: conversationId }, select: { botId: true, teamId: true } })
  }
}
