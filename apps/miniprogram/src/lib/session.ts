import Taro from '@tarojs/taro'
import { ApiError } from './errors'
import { loginCode, noCodeHint, sessionTag } from './platform'

const storageKey = 'chorus.mp.session'

interface Stored {
  token: string
  /** Whose session it is (sessionTag): on H5, opening the page with another code is another user. */
  tag: string
  expiresAt: number
}

/**
 * The API token: kept in storage, so reopening the app does not log in again, and got with a
 * login code (wx.login's, or the URL's on H5) when there is none or the API refused it.
 */
export class Session {
  private current: string | null = null
  private loggingIn: Promise<string> | null = null

  constructor(private readonly login: (code: string) => Promise<{ token: string; expiresIn: number }>) {}

  token(): Promise<string> {
    this.current ??= readStored()
    if (this.current) return Promise.resolve(this.current)
    // Calls made together (the history and the live stream on open) share one login.
    this.loggingIn ??= this.logIn().finally(() => {
      this.loggingIn = null
    })
    return this.loggingIn
  }

  /** The API said 401: forget the token and log in again. */
  renew(): Promise<string> {
    this.current = null
    Taro.removeStorageSync(storageKey)
    return this.token()
  }

  private async logIn(): Promise<string> {
    const code = await loginCode()
    if (!code) throw new ApiError(0, 'no_code', noCodeHint)
    const { token, expiresIn } = await this.login(code)
    const stored: Stored = { token, tag: sessionTag(), expiresAt: Date.now() + expiresIn * 1000 }
    Taro.setStorageSync(storageKey, stored)
    this.current = token
    return token
  }
}

/** The stored token, if it is this user's and has a while left. */
function readStored(): string | null {
  const stored = Taro.getStorageSync(storageKey) as Partial<Stored> | ''
  if (!stored || !stored.token || stored.tag !== sessionTag() || (stored.expiresAt ?? 0) < Date.now() + 60_000) return null
  return stored.token
}
