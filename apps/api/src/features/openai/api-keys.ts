import { createHash, timingSafeEqual } from 'node:crypto'

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest()
}

/** The keys `/v1` accepts, compared in constant time; a key is known to the rest by a short hash. */
export class ApiKeys {
  private readonly digests: Buffer[]

  constructor(keys: string[]) {
    this.digests = keys.map(digest)
  }

  /** The key's id (a hash prefix, safe to log) when it is accepted; undefined otherwise. */
  verify(key: string): string | undefined {
    const candidate = digest(key)
    let match = false
    for (const known of this.digests) match = timingSafeEqual(known, candidate) || match
    return match ? candidate.toString('hex').slice(0, 12) : undefined
  }
}
