import { describe, expect, it } from '@jest/globals'
import { Utf8Decoder } from './utf8'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('the mini-program’s UTF-8 decoder', () => {
  const text = 'Hi 你好，客服 Mia 😀 é!'

  it('decodes whole text', () => {
    expect(new Utf8Decoder().decode(bytes(text))).toBe(text)
  })

  it('decodes text cut at every byte, characters split across chunks included', () => {
    const all = bytes(text)
    for (let size = 1; size <= 5; size++) {
      const decoder = new Utf8Decoder()
      let out = ''
      for (let i = 0; i < all.length; i += size) out += decoder.decode(all.slice(i, i + size))
      expect(out + decoder.end()).toBe(text)
    }
  })

  it('replaces broken bytes as TextDecoder does, and an unfinished character at the end', () => {
    const broken = new Uint8Array([0x61, 0x80, 0xe4, 0xbd, 0x62, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe0, 0x80, 0x63])
    const decoder = new Utf8Decoder()
    expect(decoder.decode(broken)).toBe(new TextDecoder().decode(broken))
    // The same, one byte at a time.
    const byByte = new Utf8Decoder()
    expect(Array.from(broken, (b) => byByte.decode(new Uint8Array([b]))).join('')).toBe(new TextDecoder().decode(broken))
    expect(decoder.decode(new Uint8Array([0xe4, 0xbd]))).toBe('')
    expect(decoder.end()).toBe('\ufffd')
  })
})
