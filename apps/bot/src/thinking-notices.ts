import type { Outgoing } from './wechat-sender.js'

/**
 * One short "thinking" notice when the model is slow: scheduled when a prompt is queued, sent
 * once if no reply reached the conversation within the delay, cancelled by the reply. A
 * conversation never has more than one notice pending.
 */
export class ThinkingNotices {
  private readonly pending = new Map<string, NodeJS.Timeout>()

  constructor(private readonly send: (outgoing: Outgoing) => Promise<void>) {}

  schedule(conversationId: string, delayMs: number, outgoing: Outgoing): void {
    if (delayMs <= 0 || this.pending.has(conversationId)) return
    const timer = setTimeout(() => {
      this.pending.delete(conversationId)
      void this.send(outgoing).catch(() => undefined)
    }, delayMs)
    timer.unref()
    this.pending.set(conversationId, timer)
  }

  /** A reply reached the conversation: no notice needed any more. */
  cancel(conversationId: string): void {
    clearTimeout(this.pending.get(conversationId))
    this.pending.delete(conversationId)
  }

  clear(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }
}
