import { pushSignature } from '@chorus/wechat-api'

/** The Unix time, in seconds, as WeChat signs it; `offsetSeconds` moves it. */
export function pushTimestamp(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds)
}

/** A customer-service text message in WeChat's plaintext XML. */
export function pushXml(from: string, msgId: number, content: string): string {
  return `<xml><ToUserName><![CDATA[gh_app]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${pushTimestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
}

/** The push URL's query, signed with `token` (WeChat's: the configured WECHAT_PUSH_TOKEN). */
export function signedPushQuery(token: string, timestamp: string, nonce: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ signature: pushSignature(token, timestamp, nonce), timestamp, nonce, ...extra }).toString()
}
