import { encryptPush, messageSignature, pushSignature } from '@chorus/wechat-api'

/** The Unix time, in seconds, as WeChat signs it; `offsetSeconds` moves it. */
export function pushTimestamp(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds)
}

/** A customer-service text message in WeChat's XML; `msgId` as digits, so 64-bit ids stay exact. */
export function pushXml(from: string, msgId: number | string, content: string): string {
  return `<xml><ToUserName><![CDATA[gh_app]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${pushTimestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
}

/** The same message in WeChat's JSON, with the MsgId written as the number WeChat sends (not a string). */
export function pushJson(from: string, msgId: number | string, content: string): string {
  const fields = JSON.stringify({
    ToUserName: 'gh_app',
    FromUserName: from,
    CreateTime: Number(pushTimestamp()),
    MsgType: 'text',
    Content: content,
  })
  return `${fields.slice(0, -1)},"MsgId":${msgId}}`
}

/** The push URL's query, signed with `token` (WeChat's: the configured WECHAT_PUSH_TOKEN). */
export function signedPushQuery(token: string, timestamp: string, nonce: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ signature: pushSignature(token, timestamp, nonce), timestamp, nonce, ...extra }).toString()
}

/**
 * A secure-mode push of `message` as WeChat sends it: the message encrypted for `appId`, in an
 * envelope of the given format, and a query whose `msg_signature` covers the ciphertext.
 */
export function securePush(
  message: string,
  options: { token: string; aesKey: string; appId: string; nonce: string; format?: 'json' | 'xml'; timestamp?: string },
): { query: string; body: string; contentType: string } {
  const encrypted = encryptPush(options.aesKey, message, options.appId)
  const timestamp = options.timestamp ?? pushTimestamp()
  const query = new URLSearchParams({
    signature: pushSignature(options.token, timestamp, options.nonce),
    encrypt_type: 'aes',
    msg_signature: messageSignature(options.token, timestamp, options.nonce, encrypted),
    timestamp,
    nonce: options.nonce,
  }).toString()
  return options.format === 'xml'
    ? {
        query,
        body: `<xml><ToUserName><![CDATA[gh_app]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
        contentType: 'text/xml',
      }
    : { query, body: JSON.stringify({ ToUserName: 'gh_app', Encrypt: encrypted }), contentType: 'application/json' }
}
