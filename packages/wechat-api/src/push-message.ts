import { parse as parseLosslessJson } from 'lossless-json'
import { z } from 'zod'
import { parseWeChatXml } from './wechat-xml.js'

/** A customer-service message or event WeChat pushed (after decryption), in JSON or XML. */
export const pushMessage = z.object({
  ToUserName: z.string(),
  FromUserName: z.string(),
  CreateTime: z.coerce.number(),
  MsgType: z.string(),
  Content: z.string().optional(),
  // A 64-bit integer: the parsers below hand it over as the digits WeChat sent, never as a double.
  MsgId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  Event: z.string().optional(),
})
export type PushMessage = z.infer<typeof pushMessage>

/** Parses a push body in either format; numbers stay strings of their digits (MsgId is 64-bit). */
export function parsePushBody(raw: string): { format: 'json' | 'xml'; fields: Record<string, unknown> } {
  const text = raw.trim()
  if (text.startsWith('<')) return { format: 'xml', fields: parseWeChatXml(text) }
  let parsed: unknown
  try {
    parsed = parseLosslessJson(text, undefined, (digits) => digits)
  } catch (error) {
    // Deep nesting ends in a RangeError from the recursive parser: still just a bad body.
    throw new Error(`not WeChat JSON: ${(error as Error).message.slice(0, 100)}`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a WeChat JSON message')
  return { format: 'json', fields: parsed as Record<string, unknown> }
}

const base64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The ciphertext of a secure-mode envelope (`<Encrypt><![CDATA[…]]></Encrypt>` or
 * `"Encrypt":"…"`), found without parsing the body, so that its `msg_signature` is checked
 * before anything else is read. Only this value is used afterwards: whatever else the envelope
 * holds is never looked at. Null when there is none.
 */
export function findEncrypted(raw: string): string | null {
  const xmlStart = raw.indexOf('<Encrypt>')
  let value: string | undefined
  if (xmlStart >= 0) {
    const end = raw.indexOf('</Encrypt>', xmlStart)
    if (end < 0) return null
    value = raw.slice(xmlStart + '<Encrypt>'.length, end).trim()
    if (value.startsWith('<![CDATA[') && value.endsWith(']]>')) value = value.slice('<![CDATA['.length, -']]>'.length)
  } else {
    const key = raw.indexOf('"Encrypt"')
    if (key < 0) return null
    const afterKey = key + '"Encrypt"'.length
    const open = raw.indexOf('"', afterKey)
    const close = open < 0 ? -1 : raw.indexOf('"', open + 1)
    if (close < 0 || raw.slice(afterKey, open).trim() !== ':') return null
    // JSON may escape a slash; base64 has them.
    value = raw.slice(open + 1, close).replaceAll('\\/', '/')
  }
  return base64.test(value) ? value : null
}
