import { XMLParser } from 'fast-xml-parser'

/** The largest XML message Chorus reads from WeChat or WeCom (theirs are a few hundred bytes). */
export const maxXmlBytes = 64 * 1024

// WeChat's messages are `<xml>` with flat fields, a few of them one level deeper (WeCom's
// `ScanCodeInfo`, `SendPicsInfo`…). Anything nested deeper is not WeChat's.
const maxDepth = 4

// A maintained parser, configured for input nobody vouches for: no entities of any kind (WeChat
// puts text in CDATA), no attributes, no DTD, values kept as strings (a 64-bit MsgId stays exact).
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: false,
  commentPropName: false,
  maxNestedTags: maxDepth,
  strictReservedNames: true,
})

/** A body that is not WeChat's XML: too large, a DTD, malformed, or not `<xml>…</xml>`. */
export class WeChatXmlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WeChatXmlError'
  }
}

/**
 * Reads WeChat's XML (`<xml><Name><![CDATA[value]]></Name>…</xml>`) into the fields under
 * `<xml>`: strings, or objects of strings for the few nested ones. Linear in the input; a DTD
 * (and so any entity expansion) is refused before parsing.
 */
export function parseWeChatXml(xml: string): Record<string, unknown> {
  if (Buffer.byteLength(xml, 'utf8') > maxXmlBytes) throw new WeChatXmlError(`larger than ${maxXmlBytes} bytes`)
  if (xml.includes('<!DOCTYPE') || xml.includes('<!ENTITY')) throw new WeChatXmlError('a DTD is not allowed')
  let document: unknown
  try {
    document = parser.parse(xml)
  } catch (error) {
    throw new WeChatXmlError(`malformed XML: ${(error as Error).message.slice(0, 100)}`)
  }
  const root = (document as { xml?: unknown } | null)?.xml
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WeChatXmlError('not a WeChat XML message')
  return root as Record<string, unknown>
}
