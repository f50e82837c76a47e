/** An error WeChat answered with (`errcode` ≠ 0), or a call that never got an answer (`errcode` -1). */
export class WeChatApiError extends Error {
  constructor(
    readonly endpoint: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${endpoint} failed: ${errcode} ${errmsg}`)
    this.name = 'WeChatApiError'
  }
}

/** WeChat's errcodes that Chorus acts on (see docs/miniprogram.md for the full mapping). */
export const errcodes = {
  busy: -1,
  invalidCredential: 40001,
  invalidCode: 40029,
  accessTokenExpired: 42001,
  codeRateLimited: 45011,
  highRiskUser: 40226,
  subscriptionRefused: 43101,
  dailyQuotaSpent: 45009,
} as const

/** The access token was rejected: refresh it once and try again. */
export function isStaleToken(error: unknown): boolean {
  return error instanceof WeChatApiError && (error.errcode === errcodes.invalidCredential || error.errcode === errcodes.accessTokenExpired)
}
