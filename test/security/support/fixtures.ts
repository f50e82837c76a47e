import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '@chorus/db'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** A new bearer session for a member of staff, as a sign-in makes one (without spending a sign-in attempt). */
export async function staffSessionToken(db: Db, staffId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db.staffSession.create({ data: { staffId, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 3600_000) } })
  return token
}

/** A mini-program user's conversation with one message, in the given state (a factory: no chat needed). */
export async function storedConversation(
  db: Db,
  spec: { botId: string; state: 'bot' | 'waiting' | 'agent' | 'resolved'; assigneeId?: string; text?: string },
): Promise<{ id: string; endUserId: string }> {
  const openid = `o-${randomUUID()}`
  const channel = await db.channel.create({ data: { botId: spec.botId, kind: 'miniprogram', externalId: openid } })
  const user = await db.endUser.create({ data: { platform: 'wechat_mp', platformId: openid, displayName: 'Fixture user' } })
  const conversation = await db.conversation.create({
    data: {
      botId: spec.botId,
      channelId: channel.id,
      scopeKey: user.id,
      endUserId: user.id,
      state: spec.state,
      assigneeId: spec.assigneeId ?? null,
    },
  })
  await db.message.create({
    data: {
      conversationId: conversation.id,
      channelId: channel.id,
      role: 'user',
      text: spec.text ?? 'hello',
      authorUserId: user.id,
      status: 'stored',
    },
  })
  return { id: conversation.id, endUserId: user.id }
}

/** A unique name for things that must be unique (teams, bots, shortcuts). */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}
