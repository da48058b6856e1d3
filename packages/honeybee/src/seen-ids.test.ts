import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundedSeenIds } from './bounded-seen-ids.js'
import { seenIdTable } from './seen-id-table.js'

/** A 64-digit lowercase hex id that looks random, the same for the same `n`. */
function hexId(n: number): string {
  let id = ''
  let h = n + 0x9e3779b9
  for (let word = 0; word < 8; word++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39)
    h ^= h >>> 15
    id += (h >>> 0).toString(16).padStart(8, '0')
  }
  return id
}

// Both implementations of the pool's de-duplication set keep the same contract.
// The table bounds ids that are not hex on their own, so that they cannot crowd out the real ones.
describe.each([
  { name: 'boundedSeenIds', boundedSeenIds, othersApart: false },
  { name: 'seenIdTable', boundedSeenIds: seenIdTable, othersApart: true },
])('$name', ({ boundedSeenIds, othersApart }) => {
  it('says whether an id is new, and remembers its created_at', () => {
    const seen = boundedSeenIds(10)
    const id = hexId(1)
    expect(seen.createdAt(id)).toBeUndefined()
    expect(seen.add(id, 1_700_000_000)).toBe(true)
    expect(seen.add(id, 1_700_000_001)).toBe(false)
    expect(seen.createdAt(id)).toBe(1_700_000_001) // a copy's, which for a genuine copy is the same
    // An equal id in another string object, as a second relay's copy arrives.
    expect(seen.add(`${id.slice(0, 32)}${id.slice(32)}`, 1_700_000_000)).toBe(false)
    expect(seen.createdAt(hexId(2))).toBeUndefined()
  })

  it('forgets the oldest id once it holds `limit`', () => {
    const seen = boundedSeenIds(3)
    const [a, b, c, d] = [hexId(1), hexId(2), hexId(3), hexId(4)]
    for (const [i, id] of [a, b, c, d].entries()) expect(seen.add(id, i)).toBe(true)
    expect(seen.createdAt(a)).toBeUndefined()
    expect([b, c, d].map((id) => seen.createdAt(id))).toEqual([1, 2, 3])
    expect(seen.add(a, 9)).toBe(true) // forgotten, so new again; now b is the oldest
    expect(seen.createdAt(b)).toBeUndefined()
    expect(seen.add(c, 2)).toBe(false)
  })

  it('keeps every id while it grows, up to the limit', () => {
    const seen = boundedSeenIds(100_000)
    const ids = Array.from({ length: 21_000 }, (_, n) => hexId(n))
    let wrong = 0
    for (let n = 0; n < 20_000; n++) if (!seen.add(ids[n] as string, n)) wrong++
    for (let n = 0; n < 20_000; n++) if (seen.createdAt(ids[n] as string) !== n) wrong++
    for (let n = 20_000; n < 21_000; n++) if (seen.createdAt(ids[n] as string) !== undefined) wrong++
    expect(wrong).toBe(0)
  })

  it('tells apart ids that differ in one digit anywhere, as made-up test ids do', () => {
    const seen = boundedSeenIds(1_000)
    const made = Array.from({ length: 300 }, (_, n) => n.toString(16).padStart(64, '0'))
    const base = hexId(7)
    for (let at = 0; at < 64; at++) {
      made.push(`${base.slice(0, at)}${base[at] === '0' ? '1' : '0'}${base.slice(at + 1)}`)
    }
    for (const id of [...made, base]) expect(seen.add(id, 1)).toBe(true)
    for (const id of [...made, base]) expect(seen.add(id, 1)).toBe(false)
  })

  it('files apart ids that share all words but one', () => {
    const seen = boundedSeenIds(10_000)
    const base = hexId(3)
    const ids: string[] = []
    for (let n = 0; n < 2_000; n++) {
      const word = n.toString(16).padStart(8, '0')
      ids.push(`${base.slice(0, 8)}${word}${base.slice(16)}`, `${word}${base.slice(8)}`)
    }
    const unique = new Set(ids)
    for (const id of unique) expect(seen.add(id, 1)).toBe(true)
    for (const id of unique) expect(seen.add(id, 1)).toBe(false)
  })

  it('behaves as a first-in first-out set of the last `limit` ids, whatever the order', () => {
    // A model with plain Maps, against many small tables so that slots collide and wrap around.
    const pool = [...Array.from({ length: 40 }, (_, n) => hexId(n)), 'odd-1', 'odd-2', 'ODD-3']
    const operation = fc.record({
      add: fc.boolean(),
      id: fc.constantFrom(...pool),
      createdAt: fc.integer({ min: 0, max: 100 }),
    })
    // Limits of 2^k fill the slots to one half, where runs of slots are longest.
    const limits = fc.constantFrom(1, 2, 3, 4, 7, 8, 16, 32)
    fc.assert(
      fc.property(
        limits,
        fc.array(operation, { minLength: 50, maxLength: 500, size: 'max' }),
        (limit, ops) => {
          const seen = boundedSeenIds(limit)
          const hex = new Map<string, number>()
          const others = new Map<string, number>()
          for (const { add, id, createdAt } of ops) {
            const model = othersApart && !/^[0-9a-f]{64}$/.test(id) ? others : hex
            if (!add) {
              expect(seen.createdAt(id)).toBe(model.get(id))
              continue
            }
            const isNew = !model.has(id)
            model.set(id, createdAt) // a copy's created_at replaces the recorded one
            if (model.size > limit) model.delete(model.keys().next().value as string)
            expect(seen.add(id, createdAt)).toBe(isNew)
          }
          for (const id of pool) expect(seen.createdAt(id)).toBe(hex.get(id) ?? others.get(id))
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('seenIdTable', () => {
  it('reads only lowercase hex as digits', () => {
    // 'W' to '`' sit 39 code points above '0' to '9', where a careless digit reader maps them.
    const seen = seenIdTable(10)
    const base = hexId(4)
    const ids = ['0', 'W', '_', '`'].map((c) => `${base.slice(0, 5)}${c}${base.slice(6)}`)
    for (const id of ids) expect(seen.add(id, 1)).toBe(true)
  })

  it('bounds ids that are not 64 lowercase hex digits apart, so they cannot crowd out real ones', () => {
    const seen = seenIdTable(2)
    const upper = hexId(1).toUpperCase()
    for (const id of ['short', upper, `g${hexId(2).slice(1)}`]) expect(seen.add(id, 5)).toBe(true)
    expect(seen.add(upper, 5)).toBe(false)
    expect(seen.createdAt('short')).toBeUndefined() // the oldest of the three, forgotten
    // The hex ids are not crowded out by the others.
    expect(seen.add(hexId(1), 6)).toBe(true)
    expect(seen.createdAt(hexId(1))).toBe(6)
    expect(seen.createdAt(upper)).toBe(5)
  })
})
