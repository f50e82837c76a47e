import type { WeChatClient } from './client.js'
import { WeChatApiError } from './errors.js'

export type ContentCheckPolicy = 'fail-open' | 'fail-closed'

export interface ContentVerdict {
  verdict: 'pass' | 'review' | 'risky'
  label: number
  /** The check itself failed; the verdict is the policy's. */
  failed?: true
}

/**
 * msg_sec_check with a policy for when the check itself fails (WeChat down, quota spent, the
 * user not seen in the last 2 h): `fail-open` lets the text through, `fail-closed` refuses it.
 * It never throws, so a broken check cannot break a conversation.
 */
export class ContentCheck {
  constructor(
    private readonly client: WeChatClient,
    private readonly policy: ContentCheckPolicy,
    private readonly onFailure: (error: WeChatApiError) => void = () => undefined,
  ) {}

  async check(openid: string, content: string): Promise<ContentVerdict> {
    try {
      const result = await this.client.msgSecCheck({ openid, content })
      return { verdict: result.suggest, label: result.label }
    } catch (error) {
      this.onFailure(error instanceof WeChatApiError ? error : new WeChatApiError('msg_sec_check', -1, String(error)))
      return { verdict: this.policy === 'fail-open' ? 'pass' : 'risky', label: -1, failed: true }
    }
  }
}

/** The commands of a Redis client the shared token store needs (ioredis has them). */
export interface RedisLike {
  get(key: string): Promise<string | null>
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>
}

/** Access tokens shared by every process of the deployment, in Redis. */
export class RedisTokenStore {
  constructor(
    private readonly redis: RedisLike,
    private readonly key: string,
  ) {}

  get(): Promise<string | null> {
    return this.redis.get(this.key)
  }

  async set(token: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key, token, 'EX', ttlSeconds)
  }
}
