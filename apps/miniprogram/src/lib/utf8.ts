/**
 * A streaming UTF-8 decoder. The mini-program's JavaScript engine may lack TextDecoder, and a
 * chunk of a streamed answer can end inside a character (Chinese text is three bytes a
 * character): the decoder's state carries over to the next chunk. It follows the WHATWG
 * Encoding Standard's UTF-8 decoder, so broken bytes become U+FFFD exactly as TextDecoder does.
 */
export class Utf8Decoder {
  private codePoint = 0
  private needed = 0
  private seen = 0
  private lower = 0x80
  private upper = 0xbf

  decode(chunk: Uint8Array): string {
    const out: number[] = []
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!
      if (this.needed === 0) {
        if (byte <= 0x7f) out.push(byte)
        else if (byte >= 0xc2 && byte <= 0xdf) this.start(1, byte & 0x1f)
        else if (byte >= 0xe0 && byte <= 0xef) {
          // Bounds that rule out overlong forms (E0) and surrogates (ED).
          if (byte === 0xe0) this.lower = 0xa0
          if (byte === 0xed) this.upper = 0x9f
          this.start(2, byte & 0x0f)
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          // Overlong forms (F0) and code points past U+10FFFF (F4).
          if (byte === 0xf0) this.lower = 0x90
          if (byte === 0xf4) this.upper = 0x8f
          this.start(3, byte & 0x07)
        } else out.push(0xfffd)
        continue
      }
      if (byte < this.lower || byte > this.upper) {
        // The character broke off: one U+FFFD for it, and this byte starts afresh.
        this.reset()
        out.push(0xfffd)
        i--
        continue
      }
      this.lower = 0x80
      this.upper = 0xbf
      this.codePoint = (this.codePoint << 6) | (byte & 0x3f)
      if (++this.seen === this.needed) {
        out.push(this.codePoint)
        this.reset()
      }
    }
    let text = ''
    // In slices: String.fromCodePoint takes its arguments on the stack.
    for (let i = 0; i < out.length; i += 4096) text += String.fromCodePoint(...out.slice(i, i + 4096))
    return text
  }

  /** The end of the stream: an unfinished character becomes U+FFFD. */
  end(): string {
    const unfinished = this.needed > 0
    this.reset()
    return unfinished ? '\ufffd' : ''
  }

  private start(needed: number, bits: number): void {
    this.needed = needed
    this.codePoint = bits
  }

  private reset(): void {
    this.codePoint = 0
    this.needed = 0
    this.seen = 0
    this.lower = 0x80
    this.upper = 0xbf
  }
}
