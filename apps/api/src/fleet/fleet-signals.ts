import type { Logger } from 'pino'
import { z } from 'zod'
import type { ApiRedisKeys } from '../redis-keys.js'
import type { RedisClient } from '@chorus/redis'
import type { FleetSubscriber } from './fleet-subscriber.js'

const fleetSignal = z.discriminatedUnion('type', [
  // Disabled, or their role changed: their open live streams were allowed under the old rights.
  z.object({ type: z.literal('staff-access-changed'), staffId: z.string() }),
  z.object({ type: z.literal('api-key-revoked'), apiKeyId: z.string() }),
])

/** What one API process tells every API process, itself included. */
export type FleetSignal = z.infer<typeof fleetSignal>
type SignalType = FleetSignal['type']
type Handler<T extends SignalType> = (signal: Extract<FleetSignal, { type: T }>) => void

/**
 * Signals that must take effect in every API process within a second (one Redis pub/sub channel),
 * where each process otherwise keeps its own state: open live streams, cached `/v1` keys.
 */
export class FleetSignals {
  private readonly handlers = new Map<SignalType, Array<(signal: FleetSignal) => void>>()

  constructor(private readonly options: { redis: RedisClient; subscriber: FleetSubscriber; keys: ApiRedisKeys; logger: Logger }) {}

  async start(): Promise<void> {
    await this.options.subscriber.listen(this.options.keys.fleetSignals, (raw) => this.receive(raw))
  }

  /** Calls `handler` for each signal of this type, sent from any API process. */
  on<T extends SignalType>(type: T, handler: Handler<T>): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler as (signal: FleetSignal) => void])
  }

  /**
   * Tells every API process, this one included. Never rejects: the change it announces is made
   * already; should Redis be away, the others catch up as the signal's doc says (a console that
   * reconnects is checked again, a cached key expires within ten seconds).
   */
  async send(signal: FleetSignal): Promise<void> {
    await this.options.redis
      .publish(this.options.keys.fleetSignals, JSON.stringify(signal))
      .catch((error: unknown) => this.options.logger.warn({ err: error, signal: signal.type }, 'fleet signal not sent'))
  }

  // A message that is not a signal throws: the subscriber logs it with its channel.
  private receive(raw: string): void {
    const signal = fleetSignal.parse(JSON.parse(raw))
    for (const handler of this.handlers.get(signal.type) ?? []) handler(signal)
  }
}
