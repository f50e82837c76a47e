import type { Screening } from '@chorus/conversation'
import type { ContentCheck } from '@chorus/wechat-api'

/**
 * A user's text through msg_sec_check, as kept with the message: the verdict, its label, and
 * whether WeChat could not check the text at all. Undefined when the check is off.
 */
export async function screenText(contentCheck: ContentCheck | null, openid: string, text: string): Promise<Screening | undefined> {
  if (!contentCheck) return undefined
  const verdict = await contentCheck.check(openid, text)
  return { verdict: verdict.verdict, label: verdict.label, ...(verdict.unchecked && { unchecked: verdict.unchecked }) }
}
