import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// WeChat's message-push encryption ("secure mode"): AES-256-CBC, the key is the base64-decoded
// EncodingAESKey, the IV its first 16 bytes, PKCS#7 padding to 32-byte blocks, and the plaintext
// random(16) + length(4, big-endian) + message + appid.
const block = 32

function sha1(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The push URL's `signature`: sha1 over the sorted token, timestamp and nonce. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return sha1([token, timestamp, nonce])
}

export function verifyPushSignature(token: string, query: { signature: string; timestamp: string; nonce: string }): boolean {
  return sameHex(pushSignature(token, query.timestamp, query.nonce), query.signature)
}

/** Secure mode's `msg_signature`: sha1 over the sorted token, timestamp, nonce and ciphertext. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return sha1([token, timestamp, nonce, encrypted])
}

export function verifyMessageSignature(
  token: string,
  query: { msg_signature: string; timestamp: string; nonce: string },
  encrypted: string,
): boolean {
  return sameHex(messageSignature(token, query.timestamp, query.nonce, encrypted), query.msg_signature)
}

function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new Error('the EncodingAESKey must be 43 characters of base64')
  return key
}

/** Decrypts a secure-mode message; throws when it is malformed or meant for another app. */
export function decryptPush(encodingAesKey: string, encrypted: string, appId: string): string {
  const key = aesKey(encodingAesKey)
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  const pad = padded[padded.length - 1] ?? 0
  if (pad < 1 || pad > block) throw new Error('bad padding')
  const plain = padded.subarray(0, padded.length - pad)
  const length = plain.readUInt32BE(16)
  if (20 + length > plain.length) throw new Error('bad length')
  const message = plain.subarray(20, 20 + length).toString('utf8')
  const forApp = plain.subarray(20 + length).toString('utf8')
  if (forApp !== appId) throw new Error('the message is for another app')
  return message
}

/** Encrypts a message the way WeChat does (passive replies; the tests' stand-in of WeChat). */
export function encryptPush(encodingAesKey: string, message: string, appId: string): string {
  const key = aesKey(encodingAesKey)
  const body = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')])
  const pad = block - (plain.length % block)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}
