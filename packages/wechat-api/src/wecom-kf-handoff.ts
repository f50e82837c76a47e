import { parseWeComKfChannelId } from './wecom-kf-channel.js'
import type { WeComKfClient } from './wecom-kf-client.js'
import { weComKfServiceState } from './wecom-kf-message.js'

/** What WeComServicersHandoff reports to its owner, who logs it. */
export interface WeComHandoffEvents {
  onHandedOver?: (conversationId: string) => void
  onRefused?: (conversationId: string, error: unknown) => void
}

/**
 * Handoff to WeCom's own servicers, for bots set to hand over that way (`handoff.wecom:
 * servicers`, docs/wecom.md): the session moves to WeCom's queue (service_state 2), WeCom offers
 * it to one of the account's servicers, and the bot stays silent while the session is theirs (the
 * pull reads the state before answering). When WeCom refuses the move, Chorus's own agents are
 * asked instead. Shaped as the conversation package's ChannelHandoff.
 */
export class WeComServicersHandoff {
  constructor(
    private readonly client: WeComKfClient,
    private readonly events: WeComHandoffEvents = {},
  ) {}

  async handOver(
    conversation: { id: string; channel: { kind: string; externalId: string } },
    settings: { handoff: { wecom: 'console' | 'servicers' } },
  ): Promise<boolean> {
    if (conversation.channel.kind !== 'wecom_kf' || settings.handoff.wecom !== 'servicers') return false
    const to = parseWeComKfChannelId(conversation.channel.externalId)
    if (!to) return false
    try {
      await this.client.transServiceState({ ...to, state: weComKfServiceState.queued })
    } catch (error) {
      this.events.onRefused?.(conversation.id, error)
      return false
    }
    this.events.onHandedOver?.(conversation.id)
    return true
  }
}
