import type { Db, Prisma } from '@chorus/db'

/** The platform name of mini-program users (their platformId is the openid). */
export const miniProgramPlatform = 'wechat_mp'

const messageFields = {
  id: true,
  role: true,
  text: true,
  status: true,
  createdAt: true,
  replyToId: true,
  authorStaff: { select: { displayName: true } },
} satisfies Prisma.MessageSelect

/** The messages of a user's own mini-program chat with a bot (never staff notes). */
function ownChat(endUserId: string, botId: string, openid: string): Prisma.MessageWhereInput {
  return { channel: { botId, kind: 'miniprogram', externalId: openid }, conversation: { endUserId }, role: { not: 'note' } }
}

/** Mini-program users, their sessions, history and subscription grants in PostgreSQL. */
export class MiniProgramRepository {
  constructor(private readonly db: Db) {}

  async ensureUser(openid: string, unionid: string | null) {
    return this.db.endUser.upsert({
      where: { platform_platformId: { platform: miniProgramPlatform, platformId: openid } },
      create: { platform: miniProgramPlatform, platformId: openid, unionid },
      update: unionid ? { unionid } : {},
      select: { id: true },
    })
  }

  userByOpenid(openid: string) {
    return this.db.endUser.findUnique({
      where: { platform_platformId: { platform: miniProgramPlatform, platformId: openid } },
      select: { id: true },
    })
  }

  findBotByName(name: string) {
    return this.db.bot.findUnique({ where: { name }, select: { id: true, enabled: true } })
  }

  createSession(endUserId: string, botId: string, tokenHash: string, expiresAt: Date) {
    return this.db.mpSession.create({ data: { endUserId, botId, tokenHash, expiresAt }, select: { id: true } })
  }

  findValidSession(tokenHash: string) {
    return this.db.mpSession.findFirst({
      where: { tokenHash, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true, botId: true, endUser: { select: { id: true, platformId: true } } },
    })
  }

  /** The user's messages with the bot in the mini-program, newest first, older than `before`. */
  history(endUserId: string, botId: string, openid: string, options: { before?: bigint; limit: number }) {
    return this.db.message.findMany({
      where: { ...ownChat(endUserId, botId, openid), ...(options.before ? { id: { lt: options.before } } : {}) },
      orderBy: { id: 'desc' },
      take: options.limit,
      select: messageFields,
    })
  }

  /** One message of the user's own mini-program conversations, or null (someone else's, a note, none). */
  ownMessage(endUserId: string, botId: string, openid: string, id: bigint) {
    return this.db.message.findFirst({ where: { id, ...ownChat(endUserId, botId, openid) }, select: messageFields })
  }

  /** What became of an inbound message: its status and its reply, if any. */
  decision(inboundId: bigint) {
    return this.db.message.findUnique({
      where: { id: inboundId },
      select: {
        status: true,
        conversation: { select: { state: true } },
        reply: { select: { id: true, role: true, text: true, createdAt: true } },
      },
    })
  }

  async grant(endUserId: string, templateId: string): Promise<void> {
    await this.db.mpSubscription.upsert({
      where: { endUserId_templateId: { endUserId, templateId } },
      create: { endUserId, templateId, remaining: 1 },
      update: { remaining: { increment: 1 } },
    })
  }

  /**
   * Takes one grant of a one-time template for a send, atomically (two sends never share one);
   * false when the user has none left. Give it back if the send fails.
   */
  async takeGrant(endUserId: string, templateId: string): Promise<boolean> {
    const { count } = await this.db.mpSubscription.updateMany({
      where: { endUserId, templateId, remaining: { gt: 0 } },
      data: { remaining: { decrement: 1 } },
    })
    return count === 1
  }

  /** Returns a grant taken for a send WeChat did not make. */
  async giveBackGrant(endUserId: string, templateId: string): Promise<void> {
    await this.db.mpSubscription.updateMany({ where: { endUserId, templateId }, data: { remaining: { increment: 1 } } })
  }

  /** The user refused the template (WeChat 43101): no grant is left until they accept it again. */
  async refuseGrants(endUserId: string, templateId: string): Promise<void> {
    await this.db.mpSubscription.updateMany({ where: { endUserId, templateId }, data: { remaining: 0 } })
  }

  remainingGrants(endUserId: string, templateId: string) {
    return this.db.mpSubscription.findUnique({ where: { endUserId_templateId: { endUserId, templateId } }, select: { remaining: true } })
  }

  /** The openid of a mini-program chat's conversation; null for other channels. */
  async openidOfConversation(conversationId: string): Promise<string | null> {
    const conversation = await this.db.conversation.findUnique({
      where: { id: conversationId },
      select: { channel: { select: { kind: true, externalId: true } } },
    })
    return conversation?.channel.kind === 'miniprogram' ? conversation.channel.externalId : null
  }
}
