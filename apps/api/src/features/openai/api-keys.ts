import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Logger } from 'pino'

/** The keys created in the admin panel (only their hashes are stored). */
export interface StoredApiKeys {
  /** The id of the key with this hash, unless there is none or it was revoked. */
  findActive(hash: string): Promise<{ id: string } | null>
  markUsed(id: string, at: Date): Promise<void>
}

const panelKeyPrefix = 'chorus_'
// Every API process forgets a revoked key when the revocation's fleet signal arrives; should one
// be lost (Redis down), the key keeps working for at most this long where it was seen lately.
const cacheTtlMs = 10_000
// Bounds the cache, which also remembers wrong keys (so a stream of them does not reach the database).
const cacheSize = 10_000
const markUsedEveryMs = 60_000

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest()
}

/** The hash a panel key is stored and looked up by. */
export function hashApiKey(key: string): string {
  return digest(key).toString('hex')
}

/** A new panel key: `chorus_` and 32 random bytes; `prefix` tells keys apart in the panel. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${panelKeyPrefix}${randomBytes(32).toString('base64url')}`
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) }
}

/**
 * The keys `/v1` accepts: those of CHORUS_API_KEYS, compared in constant time, then those
 * created in the panel, looked up by hash and cached for ten seconds or until revoked. A key is
 * known to the rest (fairness, logs) by an id that reveals nothing of it.
 */
export class ApiKeys {
  private readonly digests: Buffer[]
  private readonly cache = new Map<string, { id: string | null; until: number }>()
  private readonly lastMarked = new Map<string, number>()
  /** How many keys were forgotten: a lookup that overlapped a revocation must not cache its answer. */
  private forgotten = 0

  constructor(
    keys: string[],
    private readonly stored: StoredApiKeys,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.digests = keys.map(digest)
  }

  /** The key's id when it is accepted: a hash prefix for a configured key, the row id for a panel key. */
  async verify(key: string): Promise<string | undefined> {
    const candidate = digest(key)
    let match = false
    for (const known of this.digests) match = timingSafeEqual(known, candidate) || match
    if (match) return candidate.toString('hex').slice(0, 12)
    if (!key.startsWith(panelKeyPrefix)) return undefined
    const id = await this.lookUp(candidate.toString('hex'))
    if (id) this.markUsed(id)
    return id ?? undefined
  }

  /** Stops accepting a revoked key in this process at once (every API process calls it on the revocation's fleet signal). */
  forget(id: string): void {
    this.forgotten++
    for (const [hash, entry] of this.cache) if (entry.id === id) this.cache.delete(hash)
  }

  private async lookUp(hash: string): Promise<string | null> {
    const cached = this.cache.get(hash)
    if (cached && cached.until > this.now()) return cached.id
    const forgotten = this.forgotten
    const id = (await this.stored.findActive(hash))?.id ?? null
    if (forgotten !== this.forgotten) return id
    this.cache.delete(hash)
    this.cache.set(hash, { id, until: this.now() + cacheTtlMs })
    // Maps keep insertion order: the first entry is the oldest.
    if (this.cache.size > cacheSize) this.cache.delete(this.cache.keys().next().value!)
    return id
  }

  private markUsed(id: string): void {
    const now = this.now()
    if (now - (this.lastMarked.get(id) ?? -Infinity) < markUsedEveryMs) return
    this.lastMarked.set(id, now)
    this.stored
      .markUsed(id, new Date(now))
      .catch((error: unknown) => this.logger.warn({ err: error, apiKeyId: id }, 'API key use not recorded'))
  }
}
