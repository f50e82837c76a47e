/**
 * Runs work one at a time per key, in the order it was handed in, while different keys run
 * side by side (one chat's messages in order; other chats do not wait). Idle keys are dropped.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work)
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }
}
