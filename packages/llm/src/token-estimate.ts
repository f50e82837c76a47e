const wide = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/g

/**
 * A quick, tokenizer-free estimate of a text's token count for context budgeting: each CJK
 * character is about one token in current tokenizers, other text about four characters a token.
 */
export function estimateTokens(text: string): number {
  const wideCount = text.match(wide)?.length ?? 0
  const rest = text.length - wideCount
  return wideCount + Math.ceil(rest / 4)
}
