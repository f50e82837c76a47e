import type { Response } from 'express'
import type { Logger } from 'pino'
import type { LiveEvent } from '@chorus/conversation'
import type { ApiRedisKeys } from '../../redis-keys.js'
import { connectRedis, type RedisClient, type RedisTarget } from '@chorus/redis'
import { writeEvent } from '../../http/event-stream.js'
import type { MiniProgramRepository } from './miniprogram.repository.js'

/** What reaches a mini-program user live: a message for them, or an agent typing. */
export interface MiniProgramLiveEvent {
  openid: string
  type: 'message' | 'typing'
  data: Record<string, unknown>
}

/**
 * Relays messages for mini-program users (published by the delivery of the `miniprogram`
 * outbox, from any process) and agents' typing to the users with the app open here.
 */
export class MiniProgramLiveHub {
  private readonly clients = new Map<string, Set<Response>>()
  private readonly channels = new Map<string, string | null>()
  private subscriber: RedisClient | undefined

  constructor(private readonly options: { redis: RedisTarget; keys: ApiRedisKeys; repo: MiniProgramRepository; logger: Logger }) {}

  async start(): Promise<void> {
    const { keys } = this.options
    this.subscriber = connectRedis(this.options.redis, { blocking: true, name: 'chorus-api-mp-live' })
    await this.subscriber.subscribe(keys.miniProgramLive, keys.liveEvents)
    this.subscriber.on('message', (channel: string, raw: string) => {
      this.relay(channel, raw).catch((error: unknown) => this.options.logger.warn({ err: error }, 'mini-program live event not relayed'))
    })
  }

  add(openid: string, res: Response): () => void {
    const set = this.clients.get(openid) ?? new Set<Response>()
    set.add(res)
    this.clients.set(openid, set)
    return () => {
      set.delete(res)
      if (set.size === 0) this.clients.delete(openid)
    }
  }

  stop(): void {
    for (const set of this.clients.values()) for (const res of set) res.end()
    this.clients.clear()
    this.subscriber?.disconnect()
  }

  private async relay(channel: string, raw: string): Promise<void> {
    if (this.clients.size === 0) return
    if (channel === this.options.keys.miniProgramLive) {
      const event = JSON.parse(raw) as MiniProgramLiveEvent
      this.send(event.openid, event.type, event.data)
      return
    }
    const event = JSON.parse(raw) as LiveEvent
    if (event.type !== 'typing') return
    const openid = await this.openidOf(event.conversationId)
    if (openid) this.send(openid, 'typing', { conversationId: event.conversationId })
  }

  private send(openid: string, type: string, data: Record<string, unknown>): void {
    for (const res of this.clients.get(openid) ?? []) writeEvent(res, type, data)
  }

  /** The openid of a mini-program chat's conversation (null for other channels), cached. */
  private async openidOf(conversationId: string): Promise<string | null> {
    if (this.channels.has(conversationId)) return this.channels.get(conversationId) ?? null
    const openid = await this.options.repo.openidOfConversation(conversationId)
    if (this.channels.size > 10_000) this.channels.clear()
    this.channels.set(conversationId, openid)
    return openid
  }
}
