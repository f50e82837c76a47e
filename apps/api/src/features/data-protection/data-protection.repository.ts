import type { Db } from '@chorus/db'
import { eraseFromTraining, type TrainingErasure } from '../training/training.repository.js'

/** Deleting personal data: old messages by retention policy, and everything of one user on request. */
export class DataProtectionRepository {
  constructor(private readonly db: Db) {}

  botsWithSettings() {
    return this.db.bot.findMany({ select: { id: true, name: true, settings: true } })
  }

  /** Deletes the bot's messages created before `cutoff`; nothing else. */
  async deleteMessagesBefore(botId: string, cutoff: Date): Promise<number> {
    const { count } = await this.db.message.deleteMany({ where: { conversation: { botId }, createdAt: { lt: cutoff } } })
    return count
  }

  /**
   * Erases an end user: their conversations with everything in them, their messages in shared
   * (group) conversations and the replies to those, their mini-program sessions and grants, and
   * the user record itself, and the training pairs and dataset examples made from any of those
   * messages — in one transaction. Returns what was deleted, with the dataset exports made
   * before that held the user's messages, or null for no such user.
   */
  async eraseEndUser(endUserId: string): Promise<({ messages: number; conversations: number } & TrainingErasure) | null> {
    return this.db.$transaction(async (tx) => {
      const user = await tx.endUser.findUnique({ where: { id: endUserId }, select: { id: true } })
      if (!user) return null
      const own = await tx.conversation.findMany({ where: { endUserId }, select: { id: true } })
      const ownIds = own.map((c) => c.id)
      const authored = await tx.message.findMany({ where: { authorUserId: endUserId }, select: { id: true } })
      const authoredIds = authored.map((m) => m.id)
      const inOwnIds = await tx.message.findMany({ where: { conversationId: { in: ownIds } }, select: { id: true } })
      const replyIds = await tx.message.findMany({ where: { replyToId: { in: authoredIds } }, select: { id: true } })
      const training = await eraseFromTraining(tx, [...authoredIds, ...inOwnIds.map((m) => m.id), ...replyIds.map((m) => m.id)])
      const replies = await tx.message.deleteMany({ where: { replyToId: { in: authoredIds } } })
      const inOwn = await tx.message.deleteMany({ where: { conversationId: { in: ownIds } } })
      const rest = await tx.message.deleteMany({ where: { id: { in: authoredIds } } })
      const conversations = await tx.conversation.deleteMany({ where: { id: { in: ownIds } } })
      await tx.endUser.delete({ where: { id: endUserId } })
      return { messages: replies.count + inOwn.count + rest.count, conversations: conversations.count, ...training }
    })
  }
}
