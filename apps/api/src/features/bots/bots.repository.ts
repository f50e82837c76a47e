import type { Db, Prisma } from '@chorus/db'

const botFields = {
  id: true,
  name: true,
  persona: true,
  enabled: true,
  settings: true,
  modelEndpointId: true,
  createdAt: true,
  updatedAt: true,
  modelEndpoint: { select: { id: true, name: true } },
  teams: { select: { team: { select: { id: true, name: true } } } },
  _count: { select: { conversations: true, channels: true } },
} satisfies Prisma.BotSelect

/** Bots in PostgreSQL, as the admin panel manages them. */
export class BotsRepository {
  constructor(private readonly db: Db) {}

  list() {
    return this.db.bot.findMany({ orderBy: { name: 'asc' }, select: botFields })
  }

  find(id: string) {
    return this.db.bot.findUnique({ where: { id }, select: botFields })
  }

  create(data: { name: string; persona: string; enabled: boolean; settings: Prisma.InputJsonValue; modelEndpointId: string | null }) {
    return this.db.bot.create({ data, select: botFields })
  }

  update(id: string, data: Prisma.BotUncheckedUpdateInput) {
    return this.db.bot.update({ where: { id }, data, select: botFields })
  }

  async endpointExists(id: string): Promise<boolean> {
    return (await this.db.modelEndpoint.count({ where: { id } })) > 0
  }

  endpointName(id: string | null) {
    return id ? this.db.modelEndpoint.findUnique({ where: { id }, select: { name: true, enabled: true } }) : null
  }

  /** Whether an enabled MCP server of the bot has a tool its model may call. */
  async hasMcpTools(botId: string): Promise<boolean> {
    return (await this.db.mcpServer.count({ where: { botId, enabled: true, NOT: { allowed: { equals: {} } } } })) > 0
  }
}

export type BotRow = NonNullable<Awaited<ReturnType<BotsRepository['find']>>>
