// Personal data masked before a prompt leaves the company's network (a model endpoint flagged
// "leaves our network"): mainland mobile numbers, resident ID numbers, bank card numbers and
// e-mail addresses. Each distinct value gets a placeholder such as [PHONE_1]; the reply's
// placeholders are put back before anyone sees it.

type Kind = 'PHONE' | 'ID' | 'CARD' | 'EMAIL'

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const idCheck = '10X98765432'

/** The check character of an 18-character resident ID number (GB 11643). */
function validIdNumber(id: string): boolean {
  const sum = idWeights.reduce((total, weight, i) => total + weight * Number(id[i]), 0)
  return idCheck[sum % 11] === id[17]!.toUpperCase()
}

/** Luhn's check, as bank card numbers carry it. */
function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

const patterns: Array<{ kind: Kind; pattern: RegExp; accept?: (match: string) => boolean }> = [
  { kind: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  { kind: 'ID', pattern: /(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])/g, accept: validIdNumber },
  { kind: 'CARD', pattern: /(?<!\d)\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?!\d)/g, accept: (m) => luhn(m.replace(/\D/g, '')) },
  { kind: 'PHONE', pattern: /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g },
]

const placeholderPattern = /\[(PHONE|ID|CARD|EMAIL)_(\d+)\]/g
const longestPlaceholder = '[EMAIL_9999]'.length

/** Masks personal data in texts and restores it in replies; one instance per prompt. */
export class PersonalDataMask {
  private readonly byValue = new Map<string, string>()
  private readonly byPlaceholder = new Map<string, string>()
  private readonly counts: Record<Kind, number> = { PHONE: 0, ID: 0, CARD: 0, EMAIL: 0 }

  get masked(): number {
    return this.byValue.size
  }

  mask(text: string): string {
    let out = text
    for (const { kind, pattern, accept } of patterns) {
      out = out.replace(pattern, (match) => {
        if (accept && !accept(match)) return match
        let placeholder = this.byValue.get(match)
        if (!placeholder) {
          placeholder = `[${kind}_${++this.counts[kind]}]`
          this.byValue.set(match, placeholder)
          this.byPlaceholder.set(placeholder, match)
        }
        return placeholder
      })
    }
    return out
  }

  restore(text: string): string {
    return text.replace(placeholderPattern, (placeholder) => this.byPlaceholder.get(placeholder) ?? placeholder)
  }

  /**
   * Restores a reply as it streams: text that might be the start of a placeholder split across
   * chunks is held back until the next chunk (or `flush`) shows what it is.
   */
  streamRestorer(): { push(chunk: string): string; flush(): string } {
    let pending = ''
    return {
      push: (chunk) => {
        pending += chunk
        const open = pending.lastIndexOf('[')
        const hold =
          open >= 0 && pending.length - open < longestPlaceholder && !pending.slice(open).includes(']') ? pending.slice(open) : ''
        const ready = pending.slice(0, pending.length - hold.length)
        pending = hold
        return this.restore(ready)
      },
      flush: () => {
        const rest = this.restore(pending)
        pending = ''
        return rest
      },
    }
  }
}
