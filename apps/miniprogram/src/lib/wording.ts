import { ApiError } from './errors'

/** What went wrong, in words for the user (the API's own messages are English, for developers). */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return '网络连接失败，请检查网络后重试。'
  switch (error.code) {
    case 'no_code':
      return error.message
    case 'rate_limited':
      return error.retryAfterSeconds ? `发送太频繁了，请 ${error.retryAfterSeconds} 秒后再试。` : '发送太频繁了，请稍后再试。'
    case 'bad_request':
      return '消息不能为空，且不能超过 1000 字。'
    case 'invalid_code':
      return '登录码无效或已经用过，请重新打开页面。'
    case 'blocked_user':
      return '这个微信账号暂时不能使用在线客服。'
    case 'not_configured':
      return '在线客服还没有开通。'
    case 'upstream_failed':
      return '微信登录暂时不可用，请稍后重试。'
    case 'unauthorized':
      return '登录已失效，请重新打开页面。'
    case 'timeout':
      return '回复超时了，请重试。'
    case 'unavailable':
      return '智能助手暂时不可用，请稍后再试，或点“转人工”。'
    case 'cut_off':
      return '连接中断，回复没有完整收到，请重试。'
    case 'failed':
      // The stored failure notice, already written for the user.
      return error.message
    default:
      return `出错了（${error.code}），请稍后重试。`
  }
}
