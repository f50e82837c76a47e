import { findEncrypted, parsePushBody, pushMessage } from './push-message.js'
import { maxXmlBytes, parseWeChatXml } from './wechat-xml.js'

const textXml =
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ a <b> & c ]]></Content><MsgId>6172329932587288417</MsgId></xml>'

/** How long `parse` takes on `input`, in milliseconds, and whether it threw. */
function timed(parse: (input: string) => unknown, input: string): { ms: number; threw: boolean } {
  const started = performance.now()
  let threw = false
  try {
    parse(input)
  } catch {
    threw = true
  }
  return { ms: performance.now() - started, threw }
}

describe('push bodies', () => {
  it('reads WeChat XML with CDATA kept as sent and plain values as strings', () => {
    expect(parseWeChatXml(textXml)).toEqual({
      ToUserName: 'gh_1',
      FromUserName: 'o_user',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: ' a <b> & c ',
      MsgId: '6172329932587288417',
    })
    expect(parsePushBody(textXml).format).toBe('xml')
  })

  it('keeps a 64-bit MsgId exact in JSON, where JSON.parse would round it', () => {
    const raw = (id: string) =>
      `{"ToUserName":"gh","FromUserName":"o","CreateTime":1700000000,"MsgType":"text","Content":"hi","MsgId":${id}}`
    expect(JSON.parse(raw('6172329932587288417')).MsgId).toBe(JSON.parse(raw('6172329932587288418')).MsgId)
    const first = pushMessage.parse(parsePushBody(raw('6172329932587288417')).fields)
    const second = pushMessage.parse(parsePushBody(raw('6172329932587288418')).fields)
    expect([first.MsgId, second.MsgId]).toEqual(['6172329932587288417', '6172329932587288418'])
    expect(first.CreateTime).toBe(1700000000)
  })

  it('rejects what is neither, and messages whose MsgId is not an integer', () => {
    expect(() => parsePushBody('[1]')).toThrow()
    expect(() => parsePushBody('<html></html>')).toThrow()
    expect(() => parsePushBody('{"a":')).toThrow()
    const fields = parsePushBody('{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"text","MsgId":1.5e3}').fields
    expect(pushMessage.safeParse(fields).success).toBe(false)
  })

  it('refuses a DTD, so no entity is ever expanded, and leaves entities unexpanded', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>'
    expect(() => parseWeChatXml(bomb)).toThrow('DTD')
    expect(parseWeChatXml('<xml><a>&#65;&amp;</a></xml>')).toEqual({ a: '&#65;&amp;' })
  })

  it('reads hostile XML in linear time: long runs of spaces, deep nesting, huge attributes, unclosed tags', () => {
    const hostile = {
      spaces: `<xml><a>${' '.repeat(60_000)}</xml>`,
      deep: `<xml>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</xml>`,
      attribute: `<xml><a b="${'x'.repeat(60_000)}">1</a></xml>`,
      unclosed: `<xml><a>${'<'.repeat(60_000)}`,
      many: `<xml>${'<a>1</a>'.repeat(8_000)}</xml>`,
      entities: `<xml><a>${'&#65;'.repeat(12_000)}</a></xml>`,
    }
    for (const [name, body] of Object.entries(hostile)) {
      const { ms } = timed(parseWeChatXml, body)
      expect([name, ms < 250]).toEqual([name, true])
    }
    expect(() => parseWeChatXml(hostile.deep)).toThrow()
    expect(() => parseWeChatXml(`<xml><a>${'x'.repeat(maxXmlBytes)}</a></xml>`)).toThrow('larger')
  })

  it('finds the ciphertext of an envelope without parsing it, in XML or JSON, and only base64', () => {
    expect(findEncrypted('<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[QUJD+/==]]></Encrypt></xml>')).toBe('QUJD+/==')
    expect(findEncrypted('<xml><Encrypt>QUJD</Encrypt></xml>')).toBe('QUJD')
    expect(findEncrypted('{"ToUserName":"gh","Encrypt" : "QUJD"}')).toBe('QUJD')
    expect(findEncrypted('{"Encrypt":"QU\\/JD"}')).toBe('QU/JD')
    expect(findEncrypted('{"x":"\\"Encrypt\\":\\"QUJD\\""}')).toBeNull()
    expect(findEncrypted('<xml><Encrypt><![CDATA[not base64!]]></Encrypt></xml>')).toBeNull()
    expect(findEncrypted('<xml><Encrypt>QUJD')).toBeNull()
    expect(findEncrypted(`<xml><a>${' '.repeat(60_000)}</xml>`)).toBeNull()
  })
})
