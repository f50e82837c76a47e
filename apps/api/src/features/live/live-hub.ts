import type { Response } from 'express'
import type { Logger } from 'pino'
import type { LiveEvent } from '@chorus/conversation'
import type { ConversationKeys } from '@chorus/conversation'
import type { FleetSubscriber } from '../../fleet/fleet-subscriber.js'
import { writeEvent } from '../../http/event-stream.js'
import type { ConversationsRepository, Viewer } from '../conversations/conversations.repository.js'

interface Client {
  viewer: Viewer
  res: Response
  scope: { botIds: Set<string>; teamIds: Set<string>; at: number } | null
}

const scopeTtlMs = 30_000

/**
 * Relays the live events every process publishes (heard through the API process's one Redis
 * subscriber) to the consoles connected here, each only what its member of staff may see.
 */
export class LiveHub {
  private readonly clients = new Set<Client>()

  constructor(
    private readonly options: {
      subscriber: FleetSubscriber
      keys: ConversationKeys
      conversations: ConversationsRepository
      logger: Logger
    },
  ) {}

  async start(): Promise<void> {
    await this.options.subscriber.listen(this.options.keys.liveEvents, (raw) => {
      let event: LiveEvent
      try {
        event = JSON.parse(raw) as LiveEvent
      } catch {
        return
      }
      for (const client of this.clients) {
        this.relay(client, event).catch((error: unknown) => this.options.logger.warn({ err: error }, 'live event not relayed'))
      }
    })
  }

  /** Streams events to `res` until the client goes away. */
  add(viewer: Viewer, res: Response): () => void {
    const client: Client = { viewer, res, scope: null }
    this.clients.add(client)
    return () => this.clients.delete(client)
  }

  /**
   * Ends a member of staff's streams in this process (disabled, or their role changed): a console
   * reconnects and is checked again. Every API process does so on a `staff-access-changed` fleet signal.
   */
  disconnect(staffId: string): void {
    for (const client of this.clients) if (client.viewer.id === staffId) client.res.end()
  }

  get size(): number {
    return this.clients.size
  }

  stop(): void {
    for (const client of this.clients) client.res.end()
    this.clients.clear()
  }

  private async relay(client: Client, event: LiveEvent): Promise<void> {
    if (!(await this.maysee(client, event))) return
    writeEvent(client.res, event.type, event)
  }

  private async maySeeConversation(client: Client, conversationId: string): Promise<boolean> {
    return (await this.options.conversations.access(client.viewer, conversationId)) === 'ok'
  }

  private async maysee(client: Client, event: LiveEvent): Promise<boolean> {
    if (client.viewer.role === 'admin') return true
    if (!client.scope || Date.now() - client.scope.at > scopeTtlMs) {
      client.scope = { ...(await this.options.conversations.scopeOf(client.viewer)), at: Date.now() }
    }
    if (client.scope.botIds.has(event.botId)) return true
    if (event.type === 'conversation')
      return event.assigneeId === client.viewer.id || (event.teamId !== null && client.scope.teamIds.has(event.teamId))
    return this.maySeeConversation(client, event.conversationId)
  }
}
