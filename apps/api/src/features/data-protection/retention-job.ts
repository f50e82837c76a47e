import type { Logger } from 'pino'
import { botSettings } from '@chorus/protocol'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { DataProtectionRepository } from './data-protection.repository.js'

const dayMs = 24 * 3600_000

/** Deletes messages older than each bot's `retentionDays`, on a schedule (hourly by default). */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined

  constructor(
    private readonly repo: DataProtectionRepository,
    private readonly audit: AuditTrail,
    private readonly logger: Logger,
    private readonly intervalMs = 3600_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.running
  }

  /** One pass over every bot; how many messages were deleted. */
  runOnce(now = new Date()): Promise<number> {
    this.running ??= this.purge(now).finally(() => (this.running = undefined))
    return this.running
  }

  private async purge(now: Date): Promise<number> {
    let total = 0
    try {
      for (const bot of await this.repo.botsWithSettings()) {
        const settings = botSettings.safeParse(bot.settings ?? {})
        const days = settings.success ? settings.data.retentionDays : 0
        if (days <= 0) continue
        const deleted = await this.repo.deleteMessagesBefore(bot.id, new Date(now.getTime() - days * dayMs))
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
    } catch (error) {
      this.logger.error({ err: error }, 'retention pass failed')
    }
    return total
  }
}
