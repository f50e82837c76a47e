import { customerServiceRefusal, type SendRefusal } from './customer-service.js'
import { WeChatApiError } from './errors.js'

// 微信客服's own refusals of a send (95xxx). The window and length refusals it shares with
// WeChat's custom/send (45015, 45047, 45002…), and what is transient, are customerServiceRefusal's.
const refusals: Record<number, string> = {
  95000: 'invalid_account',
  95004: 'invalid_account',
  95001: 'reply_limit_reached',
  95013: 'session_ended',
  95018: 'session_not_with_assistant',
  40096: 'invalid_customer',
}

/** The refusal for good behind a failed 微信客服 send, or null when it may succeed if tried again. */
export function weComKfRefusal(error: unknown): SendRefusal | null {
  if (error instanceof WeChatApiError && refusals[error.errcode]) {
    return { reason: refusals[error.errcode]!, message: `WeCom refused the message: ${error.errcode} ${error.errmsg}` }
  }
  return customerServiceRefusal(error)
}

/** sync_msg's event token is not (or no longer) valid: 95007. Pull without it. */
export function isInvalidMsgToken(error: unknown): boolean {
  return error instanceof WeChatApiError && error.errcode === 95007
}
