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
  invalidAccessToken: 40014,
  invalidCode: 40029,
  codeUsed: 40163,
  accessTokenExpired: 42001,
  codeRateLimited: 45011,
  highRiskUser: 40226,
  subscriptionRefused: 43101,
  dailyQuotaSpent: 45009,
  /** msg_sec_check: the user has not opened the mini-program in the last 2 hours, so WeChat cannot check their text. */
  userInactive: 61010,
} as const

/** The access token was rejected (40001, 40014, 42001): refresh it once and try again. */
export function isStaleToken(error: unknown): boolean {
  const stale: number[] = [errcodes.invalidCredential, errcodes.invalidAccessToken, errcodes.accessTokenExpired]
  return error instanceof WeChatApiError && stale.includes(error.errcode)
}
