import { msgSecCheckMaxChars, type SecCheckResult, type WeChatClient } from './client.js'
import { errcodes, WeChatApiError } from './errors.js'
import { textPieces } from './text-pieces.js'

export type ContentCheckPolicy = 'fail-open' | 'fail-closed'

/** Why WeChat could not check a text; `user_inactive`: the user has not opened the mini-program in the last 2 h (61010). */
export type UncheckedReason = 'user_inactive'

export interface ContentVerdict {
  verdict: 'pass' | 'review' | 'risky'
  label: number
  /** The check itself failed; the verdict is the policy's. */
  failed?: true
  /** WeChat cannot check this text (it is not the check failing): it passes, whatever the policy. */
  unchecked?: UncheckedReason
}

/** What ContentCheck reports to its owner, who logs it. */
export interface ContentCheckEvents {
  /** The check failed (WeChat down, quota spent, …); the policy decided. */
  onFailure?: (error: WeChatApiError) => void
  /** WeChat could not check a text; it passed. Called once per text. */
  onUnchecked?: (reason: UncheckedReason) => void
}

const severity = { pass: 0, review: 1, risky: 2 } as const

/**
 * msg_sec_check with a policy for when the check itself fails (WeChat down, quota spent):
 * `fail-open` lets the text through, `fail-closed` refuses it. Text WeChat cannot check (the
 * user not seen in the last 2 h, 61010) passes, marked `unchecked`. Text longer than one call
 * takes is checked in pieces, one call each, and the worst verdict wins (risky > review > pass).
 * It never throws, so a broken check cannot break a conversation.
 */
export class ContentCheck {
  constructor(
    private readonly client: WeChatClient,
    private readonly policy: ContentCheckPolicy,
    private readonly events: ContentCheckEvents = {},
  ) {}

  async check(openid: string, content: string): Promise<ContentVerdict> {
    const pieces = textPieces(content, msgSecCheckMaxChars)
    const settled = await Promise.allSettled(pieces.map((piece) => this.client.msgSecCheck({ openid, content: piece })))
    let worst: SecCheckResult | undefined
    const errors: WeChatApiError[] = []
    for (const result of settled) {
      if (result.status === 'rejected') errors.push(asApiError(result.reason))
      else if (!worst || severity[result.value.suggest] > severity[worst.suggest]) worst = result.value
    }
    if (worst && errors.length === 0) return { verdict: worst.suggest, label: worst.label }
    const failure = errors.find((error) => error.errcode !== errcodes.userInactive)
    let fallback: ContentVerdict
    if (failure) {
      this.events.onFailure?.(failure)
      fallback = { verdict: this.policy === 'fail-open' ? 'pass' : 'risky', label: -1, failed: true }
    } else {
      this.events.onUnchecked?.('user_inactive')
      fallback = { verdict: 'pass', label: -1, unchecked: 'user_inactive' }
    }
    // Pieces that were checked still count: one found risky is refused whatever became of the others.
    const found = worst && worst.suggest !== 'pass' && severity[worst.suggest] >= severity[fallback.verdict] ? worst : undefined
    return found ? { ...fallback, verdict: found.suggest, label: found.label } : fallback
  }
}

function asApiError(error: unknown): WeChatApiError {
  return error instanceof WeChatApiError ? error : new WeChatApiError('msg_sec_check', -1, String(error))
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
