import type { Db, Prisma } from '@chorus/db'
import type { AuditQuery } from '@chorus/protocol'

/** Who did what to which thing; one row per staff action (docs/handoff.md, docs/admin-api.md). */
export interface AuditEntry {
  actor: { type: 'staff' | 'system'; id?: string | null }
  action: string
  target: { type: string; id?: string | null }
  data?: Prisma.InputJsonValue
}

/** Writes the audit log and reads it for the admin panel. Never holds secrets or message text: ids and what changed. */
export class AuditTrail {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.auditLog.create({
      data: {
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        action: entry.action,
        targetType: entry.target.type,
        targetId: entry.target.id ?? null,
        data: entry.data ?? {},
      },
    })
  }

  /** Entries matching the query, newest first; page on with `before` set to the last id. */
  async search(query: AuditQuery) {
    const where: Prisma.AuditLogWhereInput = {
      actorId: query.actor,
      action: query.action ? { startsWith: query.action } : undefined,
      targetType: query.targetType,
      targetId: query.targetId,
      createdAt: { gte: query.from ? new Date(query.from) : undefined, lt: query.to ? new Date(query.to) : undefined },
      id: query.before ? { lt: BigInt(query.before) } : undefined,
    }
    const rows = await this.db.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 })
    const page = rows.slice(0, query.limit)
    const idsOf = (type: string) => [...new Set(page.flatMap((r) => (r.actorType === type && r.actorId ? [r.actorId] : [])))]
    // Staff by their display name; bots (their tool calls) by theirs.
    const [staff, bots] = await Promise.all([
      this.db.staff.findMany({ where: { id: { in: idsOf('staff') } }, select: { id: true, displayName: true } }),
      this.db.bot.findMany({ where: { id: { in: idsOf('bot') } }, select: { id: true, name: true } }),
    ])
    const names = new Map([
      ...staff.map((s): [string, string] => [s.id, s.displayName]),
      ...bots.map((b): [string, string] => [b.id, b.name]),
    ])
    return {
      entries: page.map((r) => ({
        id: String(r.id),
        at: r.createdAt.toISOString(),
        actor: { type: r.actorType, id: r.actorId, name: r.actorId ? (names.get(r.actorId) ?? null) : null },
        action: r.action,
        target: { type: r.targetType, id: r.targetId },
        data: r.data,
      })),
      hasMore: rows.length > query.limit,
    }
  }
}
