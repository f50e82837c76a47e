import type { Db, Prisma } from '@chorus/db'

/** Who did what to which thing; one row per staff action (docs/handoff.md, issue 7's audit page). */
export interface AuditEntry {
  actor: { type: 'staff' | 'system'; id?: string | null }
  action: string
  target: { type: string; id?: string | null }
  data?: Prisma.InputJsonValue
}

/** Writes the audit log. Never holds secrets or message text: ids and what changed. */
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
}
