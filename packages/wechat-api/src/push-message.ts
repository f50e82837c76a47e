import { z } from 'zod'

/** A customer-service message or event WeChat pushed (after decryption), in JSON or XML. */
export const pushMessage = z.object({
  ToUserName: z.string(),
  FromUserName: z.string(),
  CreateTime: z.coerce.number(),
  MsgType: z.string(),
  Content: z.string().optional(),
  MsgId: z.coerce.string().optional(),
  Event: z.string().optional(),
})
export type PushMessage = z.infer<typeof pushMessage>

/** A secure-mode envelope: the real message is in `Encrypt`. */
export const pushEnvelope = z.object({ ToUserName: z.string().optional(), Encrypt: z.string() })

/** Reads WeChat's flat XML (`<xml><Name><![CDATA[value]]></Name>…</xml>`) into an object of strings. */
export function parseFlatXml(xml: string): Record<string, string> {
  const root = /<xml>([\s\S]*)<\/xml>/.exec(xml)?.[1]
  if (root === undefined) throw new Error('not a WeChat XML message')
  const fields: Record<string, string> = {}
  for (const match of root.matchAll(/<(\w+)>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))\s*<\/\1>/g)) {
    fields[match[1]!] = match[2] ?? match[3] ?? ''
  }
  return fields
}

/** Parses a push body in either format; the format is kept to answer in kind. */
export function parsePushBody(raw: string): { format: 'json' | 'xml'; fields: Record<string, unknown> } {
  const text = raw.trim()
  if (text.startsWith('<')) return { format: 'xml', fields: parseFlatXml(text) }
  const parsed: unknown = JSON.parse(text)
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a WeChat JSON message')
  return { format: 'json', fields: parsed as Record<string, unknown> }
}
