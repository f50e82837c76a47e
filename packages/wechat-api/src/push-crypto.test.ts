import { createHash } from 'node:crypto'
import { decryptPush, encryptPush, messageSignature, pushSignature, verifyPushSignature } from './push-crypto.js'

// A 43-character EncodingAESKey, as the mini-program console generates them.
const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

describe('message push crypto', () => {
  it('signs the URL verification as sha1 over the sorted token, timestamp and nonce', () => {
    // The three are sorted as strings before hashing: "1372623149" + "1409659813" + "token".
    const expected = createHash('sha1').update('13726231491409659813token').digest('hex')
    expect(pushSignature('token', '1409659813', '1372623149')).toBe(expected)
    expect(verifyPushSignature('token', { signature: pushSignature('token', '1', '2'), timestamp: '1', nonce: '2' })).toBe(true)
    expect(verifyPushSignature('token', { signature: pushSignature('token', '1', '2'), timestamp: '1', nonce: '3' })).toBe(false)
    expect(verifyPushSignature('token', { signature: 'short', timestamp: '1', nonce: '2' })).toBe(false)
  })

  it('decrypts what it encrypted, for the right app only', () => {
    const message = '{"MsgType":"text","Content":"你好，退款到哪了？"}'
    const encrypted = encryptPush(aesKey, message, 'wx-app')
    expect(decryptPush(aesKey, encrypted, 'wx-app')).toBe(message)
    expect(() => decryptPush(aesKey, encrypted, 'wx-other')).toThrow('another app')
  })

  it('pads to 32-byte blocks, also when the plaintext fills one exactly', () => {
    for (const length of [0, 1, 31, 32, 33, 200]) {
      const message = 'x'.repeat(length)
      expect(Buffer.from(encryptPush(aesKey, message, 'a'), 'base64').length % 32).toBe(0)
      expect(decryptPush(aesKey, encryptPush(aesKey, message, 'a'), 'a')).toBe(message)
    }
  })

  it('signs ciphertext with the token, timestamp and nonce in sorted order', () => {
    expect(messageSignature('t', '2', '1', 'e')).toBe(messageSignature('t', '1', '2', 'e'))
    expect(messageSignature('t', '1', '2', 'e')).not.toBe(messageSignature('t', '1', '2', 'f'))
  })
})
