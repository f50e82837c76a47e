import { Prisma, rawRows, type Db } from '@chorus/db'

/** The platform name of 微信客服 customers (their platformId is the external_userid). */
export const weComKfPlatform = 'wecom_kf'

// Pulls of one account wait for each other (WeCom's retries, two API processes); a pull takes
// seconds at most, so this is long enough for a queue of them and still ends a stuck one.
const pullTimeoutMs = 120_000

/** 微信客服 accounts (their bots, sync_msg cursors and pull status) in PostgreSQL. */
export class WeComKfRepository {
  constructor(private readonly db: Db) {}

  /**
   * Runs `work` holding the account's lock, with its saved cursor: a transaction-scoped advisory
   * lock, so a pull that dies (its process killed, its connection cut) lets the next one in at
   * once, and one that works through PgBouncer in transaction mode. The account's row is created
   * on first use.
   */
  async withAccountLock<T>(openKfId: string, work: (cursor: string | null) => Promise<T>): Promise<T> {
    await this.db.wecomKfAccount.upsert({ where: { openKfId }, create: { openKfId }, update: {}, select: { openKfId: true } })
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wecom_kf:${openKfId}`}, 0))`
        // Read under the lock: the pull before this one may just have moved it.
        const account = await tx.wecomKfAccount.findUniqueOrThrow({ where: { openKfId }, select: { cursor: true } })
        return work(account.cursor)
      },
      { maxWait: 10_000, timeout: pullTimeoutMs },
    )
  }

  /** Saves where the pull stopped, once the batch before it is stored. */
  async saveCursor(openKfId: string, cursor: string): Promise<void> {
    await this.db.wecomKfAccount.update({ where: { openKfId }, data: { cursor, lastSyncAt: new Date(), lastError: null } })
  }

  /** Records why a pull failed, for the panel. */
  async recordError(openKfId: string, message: string): Promise<void> {
    await this.db.wecomKfAccount.updateMany({ where: { openKfId }, data: { lastError: message.slice(0, 500), lastErrorAt: new Date() } })
  }

  /** The bot that answers an account: the one linked to it, or with no link the deployment's only bot. */
  async botFor(openKfId: string): Promise<string | null> {
    const account = await this.db.wecomKfAccount.findUnique({ where: { openKfId }, select: { botId: true } })
    if (account?.botId) return account.botId
    const bots = await this.db.bot.findMany({ select: { id: true }, take: 2 })
    return bots.length === 1 ? bots[0]!.id : null
  }

  /**
   * Stores a message that went out without Chorus's outbox, in the customer's open conversation:
   * what a servicer (a person in WeCom) wrote, as an agent message, or the welcome message. A
   * message stored before (its platform id) is left as it is: returns the new message, or null.
   */
  async storeSentMessage(input: {
    role: 'agent' | 'system'
    botId: string
    channelId: string
    endUserId: string
    platformMessageId: string
    text: string
    meta: Record<string, unknown>
    at: Date
  }): Promise<{ id: bigint; conversationId: string } | null> {
    const now = new Date()
    const [row] = await rawRows<Array<{ id: bigint; conversationId: string }>>(
      this.db,
      Prisma.sql`
      WITH conversation AS (
        INSERT INTO conversations (id, bot_id, channel_id, scope_key, end_user_id, last_message_at, created_at, updated_at)
        VALUES (gen_random_uuid()::text, ${input.botId}, ${input.channelId}, ${input.endUserId}, ${input.endUserId}, ${now}, ${now}, ${now})
        ON CONFLICT (channel_id, scope_key) WHERE state <> 'resolved' DO UPDATE SET updated_at = EXCLUDED.updated_at
        RETURNING id
      )
      INSERT INTO messages (conversation_id, channel_id, role, text, platform_message_id, status, meta, created_at, delivered_at)
      SELECT conversation.id, ${input.channelId}, ${input.role}::"MessageRole", ${input.text}, ${input.platformMessageId}, 'delivered',
             ${JSON.stringify(input.meta)}::jsonb, ${input.at}, ${input.at}
        FROM conversation
      ON CONFLICT (channel_id, platform_message_id) DO NOTHING
      RETURNING id, conversation_id AS "conversationId"`,
    )
    return row ?? null
  }

  /**
   * Links an account to the bot that answers it (null: unlinked), creating the account's row if
   * no notification came yet. 'no_bot' when there is no such bot.
   */
  async linkBot(openKfId: string, botId: string | null): Promise<'linked' | 'no_bot'> {
    if (botId && !(await this.db.bot.findUnique({ where: { id: botId }, select: { id: true } }))) return 'no_bot'
    await this.db.wecomKfAccount.upsert({ where: { openKfId }, create: { openKfId, botId }, update: { botId } })
    return 'linked'
  }

  /** Accounts with their bots and how their last pulls went (the panel). */
  accounts() {
    return this.db.wecomKfAccount.findMany({
      orderBy: { createdAt: 'asc' },
      select: { openKfId: true, botId: true, lastSyncAt: true, lastError: true, lastErrorAt: true },
    })
  }
}
