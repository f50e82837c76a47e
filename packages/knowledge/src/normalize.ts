import * as OpenCC from 'opencc-js'

// Traditional characters (Taiwan and Hong Kong usage) to simplified ones, phrase by phrase.
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' })

const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const units: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

/** The value of a Chinese numeral such as 十二, 二十, 一百零五 or 三; NaN when it is not one. */
export function chineseNumber(text: string): number {
  let total = 0
  let pending = -1
  for (const char of text) {
    if (char in digits) pending = digits[char]!
    else if (char in units) {
      total += (pending < 0 ? 1 : pending) * units[char]!
      pending = -1
    } else return Number.NaN
  }
  return total + Math.max(pending, 0)
}

// A numeral followed by a unit of time, money, people or count: 两点 = 2点, 一日游 = 1日游, 三天 = 3天.
// Numerals elsewhere (一下, 一起, 一定, 不一样) are words, not numbers, and stay as they are.
const counted = /([零〇一二两三四五六七八九十百千]+)(?=[点天日晚夜岁人位个元块次间张号月年周楼层米]|公里|分钟|小时)/g

// English compounds written three ways, as one word: check-in, check in, checkin.
const compounds = /\b(check|wi)[\s-]?(in|out|fi)\b/g

/**
 * `text` in the one form the index and the queries share: full-width letters, digits and
 * punctuation as half-width (NFKC), lowercase, simplified characters, numbers of things in digits.
 */
export function normalize(text: string): string {
  return (
    toSimplified(text.normalize('NFKC').toLowerCase())
      .replace(counted, (numeral: string) => {
        const value = chineseNumber(numeral)
        return Number.isNaN(value) ? numeral : String(value)
      })
      .replace(compounds, (_, first: string, second: string) => `${first}${second}`)
      // "1个人" is one person (个 the measure word), not "个人" (personal).
      .replace(/(\d)个人/g, '$1人')
      // Colloquial question words as the written ones: 啥 = 什么, 咋 = 怎么 (not in 咋舌, 咋呼).
      .replace(/啥子|啥/g, '什么')
      .replace(/咋个|咋(?![舌呼])/g, '怎么')
  )
}
