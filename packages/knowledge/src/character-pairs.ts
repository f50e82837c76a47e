import { normalize } from './normalize.js'

/**
 * The character pairs of a text (its one character, for a text of one), normalised, punctuation
 * and spaces left out: a measure of wording that needs no segmenter.
 */
export function characterPairs(text: string): Set<string> {
  const chars = [...normalize(text).replace(/[^\p{L}\p{N}]+/gu, '')]
  const pairs = new Set<string>()
  if (chars.length === 1) pairs.add(chars[0]!)
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i]! + chars[i + 1]!)
  return pairs
}

/** Dice's coefficient of two sets: 1 for the same, 0 for nothing shared. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let shared = 0
  for (const pair of a) if (b.has(pair)) shared++
  return (2 * shared) / (a.size + b.size)
}
