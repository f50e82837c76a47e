/**
 * A deployment's Redis keys: all under one prefix (`CHORUS_REDIS_PREFIX`), so deployments and
 * tests sharing a Redis never collide. Each domain names its own keys in a subclass (the pool's
 * `PoolKeys`, the conversation package's `ConversationKeys`…) or in functions over a key space.
 * On a Redis Cluster a key's slot comes from its `{hash tag}` (`hashTag`): keys one MULTI,
 * pipeline or script touches share one; the rest spread by their own names.
 */
export class KeySpace {
  constructor(readonly prefix: string) {}

  /** A rate limit's bucket (`RateLimiter`), or a "first in a window" marker. */
  rateLimit(key: string): string {
    return `${this.prefix}:rl:${key}`
  }
}

/** `{value}`: the hash tag that puts the keys holding it on one slot (braces inside it are replaced). */
export function hashTag(value: string): string {
  return `{${value.replace(/[{}]/g, '_')}}`
}
