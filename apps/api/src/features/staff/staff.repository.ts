import { Prisma, type Db, type StaffRole } from '@chorus/db'

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

const staffSelect = { id: true, email: true, displayName: true, role: true, capacity: true } as const
const memberSelect = { ...staffSelect, disabled: true, teams: { select: { teamId: true } } } as const

/** Staff, teams and canned responses in PostgreSQL. */
export class StaffRepository {
  constructor(private readonly db: Db) {}

  /** Colleagues the viewer may see: everyone, disabled accounts too, for admins; active team mates for agents. */
  colleagues(viewer: { id: string; role: StaffRole }) {
    return this.db.staff.findMany({
      where: viewer.role === 'admin' ? {} : { disabled: false, teams: { some: { team: { members: { some: { staffId: viewer.id } } } } } },
      orderBy: { displayName: 'asc' },
      select: memberSelect,
    })
  }

  teams() {
    return this.db.team.findMany({
      orderBy: { name: 'asc' },
      select: { id: true, name: true, bots: { select: { botId: true } }, members: { select: { staffId: true } } },
    })
  }

  async teamExists(id: string): Promise<boolean> {
    return (await this.db.team.count({ where: { id } })) > 0
  }

  viewer(id: string) {
    return this.db.staff.findFirst({ where: { id, disabled: false }, select: { id: true, role: true } })
  }

  createStaff(data: { email: string; displayName: string; passwordHash: string; role: StaffRole; capacity: number; teamIds: string[] }) {
    const { teamIds, ...staff } = data
    return this.db.staff.create({
      data: { ...staff, email: staff.email.toLowerCase(), teams: { create: teamIds.map((teamId) => ({ teamId })) } },
      select: staffSelect,
    })
  }

  async staffExists(id: string): Promise<boolean> {
    return (await this.db.staff.count({ where: { id } })) > 0
  }

  /**
   * Changes a member of staff and replaces their teams (when given), atomically. Disabling them
   * revokes their sessions, so enabling them again does not bring an old token back.
   */
  updateStaff(id: string, data: { displayName?: string; role?: StaffRole; capacity?: number; disabled?: boolean; teamIds?: string[] }) {
    const { teamIds, ...fields } = data
    return this.db.$transaction(async (tx) => {
      if (teamIds) {
        await tx.teamMember.deleteMany({ where: { staffId: id } })
        await tx.teamMember.createMany({ data: teamIds.map((teamId) => ({ teamId, staffId: id })) })
      }
      if (data.disabled) await tx.staffSession.updateMany({ where: { staffId: id, revokedAt: null }, data: { revokedAt: new Date() } })
      return tx.staff.update({ where: { id }, data: fields, select: memberSelect })
    })
  }

  createTeam(data: { name: string; botIds?: string[]; memberIds?: string[] }) {
    return this.db.team.create({
      data: {
        name: data.name,
        bots: { create: (data.botIds ?? []).map((botId) => ({ botId })) },
        members: { create: (data.memberIds ?? []).map((staffId) => ({ staffId })) },
      },
      select: { id: true, name: true },
    })
  }

  /** Renames a team and replaces its bots and members (each only when given), atomically. */
  updateTeam(id: string, data: { name?: string; botIds?: string[]; memberIds?: string[] }) {
    return this.db.$transaction(async (tx) => {
      const team = await tx.team.update({ where: { id }, data: data.name ? { name: data.name } : {}, select: { id: true, name: true } })
      if (data.botIds) {
        await tx.teamBot.deleteMany({ where: { teamId: id } })
        await tx.teamBot.createMany({ data: data.botIds.map((botId) => ({ teamId: id, botId })) })
      }
      if (data.memberIds) {
        await tx.teamMember.deleteMany({ where: { teamId: id } })
        await tx.teamMember.createMany({ data: data.memberIds.map((staffId) => ({ teamId: id, staffId })) })
      }
      return team
    })
  }

  /** Deletes a team; conversations transferred to it go back to their bot's teams. */
  async deleteTeam(id: string): Promise<{ name: string } | null> {
    const team = await this.db.team.findUnique({ where: { id }, select: { name: true } })
    if (!team) return null
    return (await this.db.team.deleteMany({ where: { id } })).count === 1 ? team : null
  }

  cannedResponses() {
    return this.db.cannedResponse.findMany({ orderBy: { shortcut: 'asc' }, select: { id: true, shortcut: true, text: true } })
  }

  createCannedResponse(data: { shortcut: string; text: string; createdById: string }) {
    return this.db.cannedResponse.create({ data, select: { id: true, shortcut: true, text: true } })
  }

  async deleteCannedResponse(id: string): Promise<boolean> {
    return (await this.db.cannedResponse.deleteMany({ where: { id } })).count === 1
  }
}
