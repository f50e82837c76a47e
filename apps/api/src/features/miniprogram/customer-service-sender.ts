import { splitReply, UndeliverableError, type DeliveryProgress } from '@chorus/conversation'
import { customerServiceMaxChars, customerServiceRefusal, replyWindowRefusal, type WeChatClient } from '@chorus/wechat-api'

/** When the user last wrote in a reply's channel, and how many messages went there since. */
export type ReplyWindowLookup = (replyId: bigint) => Promise<{ lastMessageAt: Date | null; sentSince: number }>

/**
 * Sends a reply to a customer-service chat by custom/send, within WeChat's rules
 * (docs/miniprogram.md): split into parts of at most 2,048 bytes, only inside the 48-hour
 * window and the 5 messages allowed since the user last wrote, each part recorded as it goes
 * out so a retry resumes after it. A refusal no retry can change is an UndeliverableError.
 */
export class CustomerServiceSender {
  constructor(
    private readonly wechat: WeChatClient | null,
    private readonly replyWindow: ReplyWindowLookup,
  ) {}

  async send(reply: { replyId: bigint; openid: string; text: string }, progress: DeliveryProgress): Promise<void> {
    if (!this.wechat) throw new UndeliverableError('not_configured', 'customer-service replies need WECHAT_APPID and WECHAT_SECRET')
    const parts = splitReply(reply.text, customerServiceMaxChars).slice(progress.sentParts)
    if (parts.length === 0) return
    const closed = replyWindowRefusal(await this.replyWindow(reply.replyId), parts.length)
    if (closed) throw new UndeliverableError(closed.reason, closed.message)
    for (const [i, part] of parts.entries()) {
      try {
        await this.wechat.sendCustomText(reply.openid, part)
      } catch (error) {
        const refusal = customerServiceRefusal(error)
        if (refusal) throw new UndeliverableError(refusal.reason, refusal.message, (error as { errcode?: number }).errcode)
        throw error
      }
      await progress.partsSent(progress.sentParts + i + 1)
    }
  }
}
