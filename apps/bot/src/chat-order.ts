/**
 * Runs the handling of one chat's messages one at a time, in arrival order: WeChat delivers a
 * chat's messages in order, and they must be stored (and so answered) in that order.
 */
export class ChatOrder {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(chat: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(chat) ?? Promise.resolve()).then(work)
    const tail = result.catch(() => undefined)
    this.tails.set(chat, tail)
    void tail.then(() => {
      if (this.tails.get(chat) === tail) this.tails.delete(chat)
    })
    return result
  }
}
