import type { Db, StaffRole } from '@chorus/db'

const staffFields = { id: true, email: true, displayName: true, role: true, disabled: true, capacity: true } as const

/** Staff accounts and their sessions in PostgreSQL. */
export class AuthRepository {
  constructor(private readonly db: Db) {}

  findByEmail(email: string) {
    return this.db.staff.findUnique({ where: { email: email.toLowerCase() }, select: { ...staffFields, passwordHash: true } })
  }

  createSession(staffId: string, tokenHash: string, expiresAt: Date) {
    return this.db.staffSession.create({ data: { staffId, tokenHash, expiresAt }, select: { id: true } })
  }

  /** The session of a token hash with its member of staff, if it is still valid. */
  findValidSession(tokenHash: string) {
    return this.db.staffSession.findFirst({
      where: { tokenHash, revokedAt: null, expiresAt: { gt: new Date() }, staff: { disabled: false } },
      select: { id: true, staff: { select: staffFields } },
    })
  }

  revokeSession(id: string) {
    return this.db.staffSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } })
  }

  async passwordHashOf(staffId: string): Promise<string | undefined> {
    return (await this.db.staff.findUnique({ where: { id: staffId }, select: { passwordHash: true } }))?.passwordHash
  }

  /** Sets a new password and revokes every session but `keepSessionId`, atomically. */
  async changePassword(staffId: string, passwordHash: string, keepSessionId: string): Promise<void> {
    await this.db.$transaction([
      this.db.staff.update({ where: { id: staffId }, data: { passwordHash } }),
      this.db.staffSession.updateMany({
        where: { staffId, revokedAt: null, id: { not: keepSessionId } },
        data: { revokedAt: new Date() },
      }),
    ])
  }

  countAdmins() {
    return this.db.staff.count({ where: { role: 'admin' } })
  }

  createStaff(data: { email: string; displayName: string; passwordHash: string; role: StaffRole; capacity?: number }) {
    return this.db.staff.create({ data: { ...data, email: data.email.toLowerCase() }, select: staffFields })
  }

  teamsOf(staffId: string) {
    return this.db.team.findMany({ where: { members: { some: { staffId } } }, select: { id: true, name: true }, orderBy: { name: 'asc' } })
  }
}
