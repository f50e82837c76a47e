import { textPieces } from './text-pieces.js'

describe('text pieces for the content check', () => {
  it('keeps short text in one piece', () => {
    expect(textPieces('hello', 10)).toEqual(['hello'])
    expect(textPieces('', 10)).toEqual([''])
    expect(textPieces('x'.repeat(2500), 2500)).toEqual(['x'.repeat(2500)])
  })

  it('cuts long text into pieces of at most the limit that together are the whole text', () => {
    const text = '天气很好，我们去西湖走走吧。'.repeat(500)
    const pieces = textPieces(text, 2500)
    expect(pieces.length).toBe(3)
    expect(pieces.every((p) => p.length <= 2500)).toBe(true)
    expect(pieces.join('')).toBe(text)
  })

  it('cuts after a sentence end or a space near the limit rather than inside a word', () => {
    const pieces = textPieces(`${'a'.repeat(95)} bcdefghij`, 100)
    expect(pieces).toEqual([`${'a'.repeat(95)} `, 'bcdefghij'])
    expect(textPieces(`${'好'.repeat(93)}。${'好'.repeat(10)}`, 100)[0]).toBe(`${'好'.repeat(93)}。`)
  })

  it('cuts at the limit when there is no boundary, never between the halves of an emoji', () => {
    expect(textPieces('x'.repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50])
    const pieces = textPieces(`${'x'.repeat(99)}😀${'x'.repeat(10)}`, 100)
    expect(pieces).toEqual(['x'.repeat(99), `😀${'x'.repeat(10)}`])
  })
})
