/**
 * H5 has no wx.login. For previews against a stand-in of WeChat the login code comes in the
 * page's URL: `/?code=…#/pages/index/index` (or after the hash: `#/pages/index/index?code=…`).
 */
export async function loginCode(): Promise<string | null> {
  return codeInUrl()
}

/** The code in the URL: opening the page with another code signs in as someone else. */
export function sessionTag(): string {
  return `h5:${codeInUrl() ?? ''}`
}

/** Subscription messages are WeChat's: the web page never asks. */
export async function askToNotify(_templateId: string): Promise<boolean | null> {
  return null
}

export const noCodeHint = '缺少登录码：H5 预览需要在网址中带上 ?code=…（由微信登录或其替身签发）。'

function codeInUrl(): string | null {
  const { search, hash } = window.location
  const afterHash = hash.includes('?') ? hash.slice(hash.indexOf('?')) : ''
  return new URLSearchParams(search).get('code') || new URLSearchParams(afterHash).get('code') || null
}
