/** How long a bot's cached index is used before its knowledge's version is asked again. */
const recheckMs = 5000

/**
 * Something built from a bot's knowledge (its lexical index, its vectors), kept per bot and built
 * again when the knowledge's version changed, which is asked at most every 5 s; `forget` drops
 * it at once (this process changed the knowledge).
 */
export class PerBotCache<T> {
  private readonly bots = new Map<string, { version: string; checkedAt: number; value: T }>()

  constructor(
    private readonly versionOf: (botId: string) => Promise<string>,
    private readonly build: (botId: string) => Promise<T>,
  ) {}

  async get(botId: string): Promise<T> {
    const cached = this.bots.get(botId)
    if (cached && Date.now() - cached.checkedAt < recheckMs) return cached.value
    const version = await this.versionOf(botId)
    if (cached && cached.version === version) {
      cached.checkedAt = Date.now()
      return cached.value
    }
    const value = await this.build(botId)
    this.bots.set(botId, { version, checkedAt: Date.now(), value })
    return value
  }

  forget(botId: string): void {
    this.bots.delete(botId)
  }
}
