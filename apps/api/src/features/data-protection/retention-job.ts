import type { Logger } from 'pino'
import { SharedSchedule, type RedisClient } from '@chorus/redis'
import { botSettings } from '@chorus/protocol'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { DataProtectionRepository } from './data-protection.repository.js'

const dayMs = 24 * 3600_000

/**
 * Deletes messages older than each bot's `retentionDays`, on a schedule (hourly by default): one
 * pass per interval across the API processes (a BullMQ job scheduler).
 */
export class RetentionJob {
  private readonly schedule: SharedSchedule
  private running: Promise<number> | undefined

  constructor(
    private readonly repo: DataProtectionRepository,
    private readonly audit: AuditTrail,
    private readonly logger: Logger,
    redis: { connection: RedisClient; prefix: string },
    intervalMs = 3600_000,
  ) {
    this.schedule = new SharedSchedule({
      redis: redis.connection,
      prefix: redis.prefix,
      name: 'retention',
      everyMs: intervalMs,
      work: () => this.runOnce(),
      onError: (error) => logger.error({ err: error }, 'retention pass failed'),
    })
  }

  start(): Promise<void> {
    return this.schedule.start()
  }

  stop(): Promise<void> {
    return this.schedule.stop()
  }

  /** One pass over every bot (or joins the one under way here): how many messages were deleted, `undefined` if it failed (logged). */
  runOnce(): Promise<number | undefined> {
    this.running ??= this.purge().finally(() => (this.running = undefined))
    return this.running.catch((error: unknown) => {
      this.logger.error({ err: error }, 'retention pass failed')
      return undefined
    })
  }

  private async purge(): Promise<number> {
    const now = Date.now()
    let total = 0
    for (const bot of await this.repo.botsWithSettings()) {
      const settings = botSettings.safeParse(bot.settings ?? {})
      const days = settings.success ? settings.data.retentionDays : 0
      if (days <= 0) continue
      const deleted = await this.repo.deleteMessagesBefore(bot.id, new Date(now - days * dayMs))
      if (deleted === 0) continue
      total += deleted
      await this.audit.record({
        actor: { type: 'system' },
        action: 'retention.purge',
        target: { type: 'bot', id: bot.id },
        data: { days, deleted },
      })
      this.logger.info({ botId: bot.id, days, deleted }, 'old messages deleted')
    }
    return total
  }
}
