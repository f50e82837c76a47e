import { splitReply, UndeliverableError, type DeliveryProgress } from '@chorus/conversation'
import { customerServiceMaxChars, replyWindowRefusal, type SendRefusal } from '@chorus/wechat-api'

/** When the user last wrote in a reply's channel, and how many messages went there since. */
export type ReplyWindowLookup = (replyId: bigint) => Promise<{ lastMessageAt: Date | null; sentSince: number }>

/**
 * A customer-service platform under WeChat's reply window: WeChat's custom/send, or WeCom's
 * 微信客服 send_msg. `partKey` names one part of one reply, the same on every attempt.
 */
export interface CustomerServicePlatform {
  sendText(to: string, text: string, partKey: string): Promise<void>
  /** The refusal for good behind a failed send, or null when a retry may succeed. */
  refusal(error: unknown): SendRefusal | null
}

/**
 * Sends a reply to a customer-service chat within WeChat's rules (docs/miniprogram.md,
 * docs/wecom.md): split into parts of at most 2,048 bytes, only inside the 48-hour window and
 * the 5 messages allowed since the user last wrote, each part recorded as it goes out so a retry
 * resumes after it. A refusal no retry can change is an UndeliverableError.
 */
export class CustomerServiceSender {
  constructor(
    private readonly platform: CustomerServicePlatform | null,
    private readonly replyWindow: ReplyWindowLookup,
    /** Why nothing can be sent while the platform is not configured. */
    private readonly notConfigured = 'customer-service replies need WECHAT_APPID and WECHAT_SECRET',
  ) {}

  async send(reply: { replyId: bigint; to: string; text: string }, progress: DeliveryProgress): Promise<void> {
    if (!this.platform) throw new UndeliverableError('not_configured', this.notConfigured)
    const parts = splitReply(reply.text, customerServiceMaxChars).slice(progress.sentParts)
    if (parts.length === 0) return
    const closed = replyWindowRefusal(await this.replyWindow(reply.replyId), parts.length)
    if (closed) throw new UndeliverableError(closed.reason, closed.message)
    for (const [i, part] of parts.entries()) {
      const index = progress.sentParts + i
      try {
        await this.platform.sendText(reply.to, part, `${reply.replyId}-${index}`)
      } catch (error) {
        const refusal = this.platform.refusal(error)
        if (refusal) throw new UndeliverableError(refusal.reason, refusal.message, (error as { errcode?: number }).errcode)
        throw error
      }
      await progress.partsSent(index + 1)
    }
  }
}
