import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundedSeenIds } from './bounded-seen-ids.js'

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

describe('boundedSeenIds', () => {
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

  it('behaves as a first-in first-out set of the last `limit` ids, whatever the order', () => {
    // A model with a plain Map, against small limits so that the oldest is forgotten often.
    const pool = [...Array.from({ length: 40 }, (_, n) => hexId(n)), 'odd-1', 'odd-2', 'ODD-3']
    const operation = fc.record({
      add: fc.boolean(),
      id: fc.constantFrom(...pool),
      createdAt: fc.integer({ min: 0, max: 100 }),
    })
    const limits = fc.constantFrom(1, 2, 3, 4, 7, 8, 16, 32)
    fc.assert(
      fc.property(
        limits,
        fc.array(operation, { minLength: 50, maxLength: 500, size: 'max' }),
        (limit, ops) => {
          const seen = boundedSeenIds(limit)
          const model = new Map<string, number>()
          for (const { add, id, createdAt } of ops) {
            if (!add) {
              expect(seen.createdAt(id)).toBe(model.get(id))
              continue
            }
            const isNew = !model.has(id)
            model.set(id, createdAt) // a copy's created_at replaces the recorded one
            if (model.size > limit) model.delete(model.keys().next().value as string)
            expect(seen.add(id, createdAt)).toBe(isNew)
          }
          for (const id of pool) expect(seen.createdAt(id)).toBe(model.get(id))
        },
      ),
      { numRuns: 200 },
    )
  })
})
