import type { Logger } from 'pino'
import { connectRedis, type RedisClient, type RedisTarget } from '@chorus/redis'

/**
 * The API process's one Redis subscriber connection: every pub/sub channel it listens to (live
 * events, fleet signals) goes through it, rather than a connection per feature.
 */
export class FleetSubscriber {
  private readonly listeners = new Map<string, (message: string) => void>()
  private readonly connection: RedisClient

  constructor(
    target: RedisTarget,
    private readonly logger: Logger,
  ) {
    this.connection = connectRedis(target, { blocking: true, name: 'chorus-api-subscriber' })
    this.connection.on('message', (channel: string, message: string) => this.deliver(channel, message))
  }

  /** Calls `listener` with each message published on `channel` from now on; one listener a channel. */
  async listen(channel: string, listener: (message: string) => void): Promise<void> {
    if (this.listeners.has(channel)) throw new Error(`${channel} has a listener already`)
    this.listeners.set(channel, listener)
    await this.connection.subscribe(channel)
  }

  stop(): void {
    this.listeners.clear()
    this.connection.disconnect()
  }

  private deliver(channel: string, message: string): void {
    try {
      this.listeners.get(channel)?.(message)
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'pub/sub message not handled')
    }
  }
}
