import { Prisma, type Db, type StaffRole } from '@chorus/db'

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

/** Staff, teams and canned responses in PostgreSQL. */
export class StaffRepository {
  constructor(private readonly db: Db) {}

  /** Colleagues the viewer may hand conversations to: everyone for admins, team mates for agents. */
  colleagues(viewer: { id: string; role: StaffRole }) {
    return this.db.staff.findMany({
      where: {
        disabled: false,
        ...(viewer.role === 'admin' ? {} : { teams: { some: { team: { members: { some: { staffId: viewer.id } } } } } }),
      },
      orderBy: { displayName: 'asc' },
      select: { id: true, email: true, displayName: true, role: true, capacity: true },
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
      select: { id: true, email: true, displayName: true, role: true, capacity: true },
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
