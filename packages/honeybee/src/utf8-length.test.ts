import { describe, expect, it } from 'vitest'
import { exceedsUtf8, utf8Length } from './utf8-length.js'

/** Strings with every width of character, and the surrogates alone and in the wrong order. */
const SAMPLES = [
  '',
  'plain ascii',
  'café',
  '€100',
  '日本語のテキスト',
  'emoji 🐝 and 👩‍👩‍👧',
  '\ud83d', // a lone high surrogate
  '\udc1d', // a lone low surrogate
  '\udc1d\ud83d', // both, in the wrong order
  `${'a'.repeat(100)}\u07ff\u0800\uffff`,
]

describe('utf8Length', () => {
  it('counts what Buffer.byteLength counts (the bytes a frame carries)', () => {
    for (const text of SAMPLES) expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text))
  })

  it('agrees with the encoder on random strings of every code unit', () => {
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let round = 0; round < 500; round++) {
      const units = Array.from({ length: random(40) }, () => {
        const kind = random(4)
        return kind === 0
          ? random(0x80)
          : kind === 1
            ? random(0x800)
            : kind === 2
              ? 0xd800 + random(0x800)
              : random(0x10000)
      })
      const text = String.fromCharCode(...units)
      expect(utf8Length(text)).toBe(Buffer.byteLength(text))
    }
  })
})

describe('exceedsUtf8', () => {
  it('answers by bytes, also where the length alone would say the opposite', () => {
    const euros = '€'.repeat(10) // 10 units, 30 bytes
    expect(exceedsUtf8(euros, 29)).toBe(true)
    expect(exceedsUtf8(euros, 30)).toBe(false)
    expect(exceedsUtf8('a'.repeat(31), 30)).toBe(true)
    expect(exceedsUtf8('a'.repeat(30), 30)).toBe(false)
  })
})
