import { Prisma, type Db } from '@chorus/db'

interface Row {
  bot: string
  agent: string | null
  conversations: bigint
  handoffs: bigint
  first_response_sum: number | null
  first_response_count: bigint
  resolution_sum: number | null
  resolution_count: bigint
  rating_sum: bigint | null
  rating_count: bigint
}

/** Handoff figures per bot and agent, from the conversations table (one aggregate query). */
export async function handoffFigures(db: Db) {
  // Raw SQL: Prisma's groupBy cannot subtract timestamps.
  const rows = await db.$queryRaw<Row[]>`
    SELECT b.name AS bot,
           s.display_name AS agent,
           ${figureColumns}
      FROM conversations c
      JOIN bots b ON b.id = c.bot_id
      LEFT JOIN staff s ON s.id = c.assignee_id
     GROUP BY b.name, s.display_name`
  return rows.map(figureOf)
}

/** What each row adds up over its conversations `c` (Row's fields past bot and agent). */
const figureColumns = Prisma.sql`count(*) AS conversations,
           count(c.handoff_at) AS handoffs,
           sum(EXTRACT(EPOCH FROM (c.first_response_at - c.handoff_at)))::float8 AS first_response_sum,
           count(c.first_response_at) AS first_response_count,
           sum(EXTRACT(EPOCH FROM (c.resolved_at - c.handoff_at))) FILTER (WHERE c.handoff_at IS NOT NULL)::float8 AS resolution_sum,
           count(c.resolved_at) FILTER (WHERE c.handoff_at IS NOT NULL) AS resolution_count,
           sum(c.rating) AS rating_sum,
           count(c.rating) AS rating_count`

function figureOf(r: Row) {
  return {
    bot: r.bot,
    agent: r.agent,
    conversations: Number(r.conversations),
    handoffs: Number(r.handoffs),
    firstResponse: { sum: r.first_response_sum ?? 0, count: Number(r.first_response_count) },
    resolution: { sum: r.resolution_sum ?? 0, count: Number(r.resolution_count) },
    rating: { sum: Number(r.rating_sum ?? 0), count: Number(r.rating_count) },
  }
}
export type HandoffFigure = ReturnType<typeof figureOf>

/**
 * The same figures per agent over every conversation they handled — took (a claim or an
 * assignment), wrote in, or hold now — not only those they were the last to have: a conversation
 * released to the bot keeps no assignee, yet its agent handled it. A conversation handled by two
 * agents counts for each.
 */
export async function agentFigures(db: Db) {
  const rows = await db.$queryRaw<Row[]>`
    WITH handled AS (
      SELECT conversation_id, actor_id AS staff_id
        FROM conversation_events
       WHERE to_state = 'agent' AND actor_id IS NOT NULL AND reason NOT LIKE 'transferred to %'
      UNION
      SELECT conversation_id, author_staff_id FROM messages WHERE role = 'agent' AND author_staff_id IS NOT NULL
      UNION
      SELECT id, assignee_id FROM conversations WHERE assignee_id IS NOT NULL
    )
    SELECT b.name AS bot,
           s.display_name AS agent,
           ${figureColumns}
      FROM handled h
      JOIN conversations c ON c.id = h.conversation_id
      JOIN bots b ON b.id = c.bot_id
      JOIN staff s ON s.id = h.staff_id
     GROUP BY b.name, s.display_name`
  return rows.map(figureOf)
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

/** The figures as Prometheus text: counters and summaries (`_sum`/`_count`) labelled by bot and agent. */
export function renderHandoffMetrics(figures: HandoffFigure[], open: Array<{ bot: string; state: string; count: number }>): string {
  const lines: string[] = []
  const family = (name: string, type: string, help: string, values: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const [labels, value] of values) lines.push(`${name}{${labels}} ${value}`)
  }
  const labels = (f: HandoffFigure) => `bot="${escape(f.bot)}",agent="${escape(f.agent ?? '')}"`
  family(
    'chorus_conversations_total',
    'counter',
    'Conversations, by bot and the agent who last had them',
    figures.map((f) => [labels(f), f.conversations]),
  )
  family(
    'chorus_handoffs_total',
    'counter',
    'Conversations handed to a person',
    figures.map((f) => [labels(f), f.handoffs]),
  )
  const summary = (name: string, help: string, pick: (f: HandoffFigure) => { sum: number; count: number }) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} summary`)
    for (const f of figures) {
      lines.push(`${name}_sum{${labels(f)}} ${pick(f).sum}`, `${name}_count{${labels(f)}} ${pick(f).count}`)
    }
  }
  summary('chorus_agent_first_response_seconds', 'From the handoff to the first agent reply', (f) => f.firstResponse)
  summary('chorus_agent_resolution_seconds', 'From the handoff to resolving the conversation', (f) => f.resolution)
  summary('chorus_satisfaction_rating', 'Ratings (1-5) users gave on resolve', (f) => f.rating)
  family(
    'chorus_conversations_open',
    'gauge',
    'Open conversations by bot and state',
    open.map((o) => [`bot="${escape(o.bot)}",state="${o.state}"`, o.count]),
  )
  return `${lines.join('\n')}\n`
}

/** Open conversations per bot and state. */
export async function openConversations(db: Db): Promise<Array<{ bot: string; state: string; count: number }>> {
  const rows = await db.$queryRaw<Array<{ bot: string; state: string; count: bigint }>>`
    SELECT b.name AS bot, c.state::text AS state, count(*) AS count
      FROM conversations c JOIN bots b ON b.id = c.bot_id
     WHERE c.state <> 'resolved'
     GROUP BY b.name, c.state`
  return rows.map((r) => ({ bot: r.bot, state: r.state, count: Number(r.count) }))
}
