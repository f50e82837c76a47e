import { WeChatApiError } from './errors.js'

/**
 * WeChat's rules for customer-service messages (custom/send; WeCom's 微信客服 has the same
 * window): a user can be written to within 48 hours of their last message, at most 5 messages
 * until they write again, each of at most 2,048 bytes.
 */
export const customerServiceLimits = { windowMs: 48 * 3600_000, messagesPerWindow: 5, maxBytes: 2048 } as const

/** Characters that always fit in `maxBytes` of UTF-8 (a UTF-16 unit is at most 3 bytes). */
export const customerServiceMaxChars = Math.floor(customerServiceLimits.maxBytes / 3)

/** Why a message cannot be sent, in a stable code and in words. */
export interface SendRefusal {
  reason: string
  message: string
}

// A minute's margin: a message sent right at the end of the window would arrive after it.
const windowMarginMs = 60_000

/**
 * Whether `parts` more messages may go to a user who last wrote at `lastMessageAt` and has been
 * sent `sentSince` messages since: null if they may, else why not.
 */
export function replyWindowRefusal(
  window: { lastMessageAt: Date | null; sentSince: number },
  parts: number,
  now: Date = new Date(),
): SendRefusal | null {
  const { windowMs, messagesPerWindow } = customerServiceLimits
  if (!window.lastMessageAt || now.getTime() - window.lastMessageAt.getTime() > windowMs - windowMarginMs) {
    return {
      reason: 'reply_window_closed',
      message: 'the user last wrote more than 48 hours ago: WeChat accepts no reply until they write again',
    }
  }
  if (window.sentSince + parts > messagesPerWindow) {
    return {
      reason: 'reply_limit_reached',
      message: `${window.sentSince} of ${messagesPerWindow} messages were already sent since the user last wrote, and this one needs ${parts}: WeChat accepts no more until they write again`,
    }
  }
  return null
}

// custom/send's refusals that no retry can change. Everything else is retried a capped number of times.
const refusals: Record<number, string> = {
  45015: 'reply_window_closed',
  45047: 'reply_limit_reached',
  45002: 'too_long',
  43004: 'not_a_follower',
  40003: 'invalid_openid',
  40008: 'invalid_message',
  44002: 'invalid_message',
  47001: 'invalid_message',
  48001: 'not_authorised',
}

// What can succeed later: WeChat busy or unreachable (-1), its rate limits and quotas, and an
// access token still refused after the client's one refresh.
const transient = new Set([-1, 45009, 45011, 40001, 40014, 42001])

/** The refusal for good behind a failed customer-service send, or null when it may succeed if tried again. */
export function customerServiceRefusal(error: unknown): SendRefusal | null {
  if (!(error instanceof WeChatApiError) || transient.has(error.errcode)) return null
  return { reason: refusals[error.errcode] ?? 'refused', message: `WeChat refused the message: ${error.errcode} ${error.errmsg}` }
}
