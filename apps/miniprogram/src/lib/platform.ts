// Taro builds platform.h5.ts or platform.weapp.ts in place of this file (by TARO_ENV); TypeScript
// reads this one for the signatures both of them have.

/** A login code for POST /mp/v1/login, or null when this platform cannot get one. */
export async function loginCode(): Promise<string | null> {
  return null
}

/** What a stored session belongs to: a session stored under another tag is not used. */
export function sessionTag(): string {
  return ''
}

/** Asks the user to allow one notification from `templateId`: true or false, null when not asked. */
export async function askToNotify(_templateId: string): Promise<boolean | null> {
  return null
}

/** Why there is no login code, in the user's words. */
export const noCodeHint = '无法登录：这个平台不支持。'
