import { describe, expect, it } from 'vitest'
import { UsageError } from './errors.js'
import { encloseCountResult, isSendableCloseCode, randomId, truncateUtf8 } from './responder-support.js'

describe('randomId', () => {
  it('is 16 hex characters, different each time', () => {
    const ids = new Set(Array.from({ length: 1_000 }, randomId))
    expect(ids.size).toBe(1_000)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/)
  })
})

describe('encloseCountResult', () => {
  it('builds exact and approximate results; refuses counts that are not non-negative integers', () => {
    expect(encloseCountResult('q"1', 0, false)).toBe('["COUNT","q\\"1",{"count":0}]')
    expect(JSON.parse(encloseCountResult('q', 5, true))).toEqual([
      'COUNT',
      'q',
      { count: 5, approximate: true },
    ])
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => encloseCountResult('q', bad, false)).toThrow(UsageError)
    }
  })
})

describe('isSendableCloseCode', () => {
  it.each([
    [1000, true],
    [1001, true],
    [1003, true],
    [1004, false],
    [1005, false],
    [1006, false],
    [1007, true],
    [1014, true],
    [1015, false],
    [2999, false],
    [3000, true],
    [4999, true],
    [5000, false],
    [999, false],
    [1000.5, false],
  ])('%d → %s', (code, sendable) => {
    expect(isSendableCloseCode(code)).toBe(sendable)
  })
})

describe('truncateUtf8', () => {
  it('cuts at a byte budget, never inside a character', () => {
    expect(truncateUtf8('abc', 123)).toBe('abc')
    expect(truncateUtf8('abcdef', 3)).toBe('abc')
    expect(truncateUtf8('ééé', 5)).toBe('éé') // 2 bytes each
    expect(truncateUtf8('€€', 5)).toBe('€') // 3 bytes each
    expect(truncateUtf8('😀😀', 7)).toBe('😀') // 4 bytes each, a surrogate pair in UTF-16
    expect(truncateUtf8('', 0)).toBe('')
  })
})
