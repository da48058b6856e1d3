/**
 * @module A de-duplication set of event ids that holds no JavaScript objects: honeybee-node's pools.
 *
 * Why not a `Map<string, number>` ({@link boundedSeenIds}): with 100,000 ids, that map plus the
 * garbage collection it causes was the largest cost a pool adds to an event (about 1.5 µs of 10 on
 * the bench machine). V8 rehashes and compares keys by reading strings that are no longer in cache,
 * and every id string it keeps alive must be moved by the garbage collector. Here each id is read once
 * into eight 32-bit words in a typed array, and found through an open-addressing table of entry
 * numbers: whole ids are compared, so no two ids are ever confused, and the collector has nothing to
 * move. See BENCHMARKS.md, "pools".
 *
 * An id that is not 64 lowercase hex digits (a relay should never send one) goes to an ordinary map.
 */
import type { SeenIds } from './subscription-registry.js'

/** 32-bit words per id: 64 hex digits, 8 to a word. */
const WORDS = 8
/** Entries the arrays start with; they double up to the limit. */
const INITIAL_ENTRIES = 256
/** The id being looked up, as words; written by {@link readId}. */
const scratch = new Int32Array(WORDS)

/** Writes `id` into `scratch`; `false` if it is not 64 lowercase hex digits. */
function readId(id: string): boolean {
  if (id.length !== 64) return false
  for (let word = 0, i = 0; word < WORDS; word++) {
    let value = 0
    for (const end = i + 8; i < end; i++) {
      const c = id.charCodeAt(i)
      const digit = c < 58 ? c - 48 : c - 87 // '0'–'9' → 0–9, 'a'–'f' → 10–15
      if (digit < 0 || digit > 15 || (c > 57 && c < 97)) return false
      value = (value << 4) | digit
    }
    scratch[word] = value
  }
  return true
}

/**
 * The last `limit` ids added, with their `created_at`: adding one more forgets the oldest, exactly as
 * {@link boundedSeenIds} does, at about 48 bytes per id (typed arrays that grow with the ids added).
 * Ids that are not hex are bounded by `limit` on their own.
 *
 * @example
 * ```ts
 * import { createPool, seenIdTable } from 'honeybee-browser'
 *
 * // The browser edition's pools use the smaller Map by default; this table is faster with many ids.
 * const pool = createPool({ relays, seenIds: seenIdTable })
 * ```
 */
export function seenIdTable(limit: number): SeenIds {
  return new SeenIdTable(Math.max(1, Math.floor(limit)))
}

/** Slots for `entries`: a power of two, at least twice as many, so the table is at most half full. */
function slotsFor(entries: number): Int32Array {
  return new Int32Array(2 ** (Math.ceil(Math.log2(entries)) + 1))
}

class SeenIdTable implements SeenIds {
  readonly #limit: number
  /** Mixed into every slot number, so that ids a relay chooses cannot pile up in one run of slots. */
  readonly #salt = (Math.random() * 0x1_0000_0000) | 0
  /** The entries, a ring in insertion order: each id's words, and its created_at. */
  #words: Int32Array
  #createdAt: Float64Array
  #count = 0
  /** Once `limit` entries are in use: the oldest, which the next id replaces. */
  #oldest = 0
  /** Linear probing: an entry's number + 1 per slot, 0 for empty. */
  #slots: Int32Array
  /** Ids that are not hex, in insertion order. */
  readonly #others = new Map<string, number>()

  constructor(limit: number) {
    this.#limit = limit
    const entries = Math.min(limit, INITIAL_ENTRIES)
    this.#words = new Int32Array(entries * WORDS)
    this.#createdAt = new Float64Array(entries)
    this.#slots = slotsFor(entries)
  }

  createdAt(id: string): number | undefined {
    if (!readId(id)) return this.#others.get(id)
    const entry = this.#find()
    return entry < 0 ? undefined : this.#createdAt[entry]
  }

  add(id: string, createdAt: number): boolean {
    if (!readId(id)) return this.#addOther(id, createdAt)
    const found = this.#find()
    if (found >= 0) {
      this.#createdAt[found] = createdAt // as the Map does: a genuine copy's is the same
      return false
    }
    let entry: number
    if (this.#count < this.#limit) {
      if (this.#count === this.#createdAt.length) this.#grow()
      entry = this.#count++
    } else {
      entry = this.#oldest
      this.#oldest = entry + 1 === this.#limit ? 0 : entry + 1
      this.#unslot(entry)
    }
    const words = this.#words
    for (let k = 0, at = entry * WORDS; k < WORDS; k++) words[at + k] = scratch[k] as number
    this.#createdAt[entry] = createdAt
    this.#slot(entry)
    return true
  }

  #addOther(id: string, createdAt: number): boolean {
    const others = this.#others
    const size = others.size
    others.set(id, createdAt)
    if (others.size === size) return false
    if (others.size > this.#limit) others.delete(others.keys().next().value as string)
    return true
  }

  /** The slot where the search for the id in `words` at `at` starts. */
  #home(words: Int32Array, at: number): number {
    let h = this.#salt
    for (let k = 0; k < WORDS; k++) {
      h = Math.imul(h ^ (words[at + k] as number), 0x9e3779b1)
      h ^= h >>> 15
    }
    h = Math.imul(h, 0x85ebca6b)
    return (h ^ (h >>> 13)) & (this.#slots.length - 1)
  }

  /** The entry holding the id in `scratch`, or -1. */
  #find(): number {
    const slots = this.#slots
    const words = this.#words
    const mask = slots.length - 1
    next: for (let s = this.#home(scratch, 0); ; s = (s + 1) & mask) {
      const entry = slots[s]! - 1
      if (entry < 0) return -1
      for (let k = 0, at = entry * WORDS; k < WORDS; k++) if (words[at + k] !== scratch[k]) continue next
      return entry
    }
  }

  #slot(entry: number): void {
    const slots = this.#slots
    const mask = slots.length - 1
    let s = this.#home(this.#words, entry * WORDS)
    while (slots[s] !== 0) s = (s + 1) & mask
    slots[s] = entry + 1
  }

  /** Takes `entry` out of the slots, moving later entries of its run back so that none is cut off. */
  #unslot(entry: number): void {
    const slots = this.#slots
    const mask = slots.length - 1
    let hole = this.#home(this.#words, entry * WORDS)
    while (slots[hole] !== entry + 1) hole = (hole + 1) & mask
    for (let s = (hole + 1) & mask; slots[s] !== 0; s = (s + 1) & mask) {
      const home = this.#home(this.#words, (slots[s]! - 1) * WORDS)
      // The entry at `s` may move back into the hole unless its home lies cyclically in (hole, s].
      const homeAfterHole = hole <= s ? home > hole && home <= s : home > hole || home <= s
      if (homeAfterHole) continue
      slots[hole] = slots[s]!
      hole = s
    }
    slots[hole] = 0
  }

  /** Doubles the entries (up to the limit) and the slots, and files every entry again. */
  #grow(): void {
    const entries = Math.min(this.#limit, 2 * this.#createdAt.length)
    const words = new Int32Array(entries * WORDS)
    const createdAt = new Float64Array(entries)
    words.set(this.#words)
    createdAt.set(this.#createdAt)
    this.#words = words
    this.#createdAt = createdAt
    this.#slots = slotsFor(entries)
    for (let entry = 0; entry < this.#count; entry++) this.#slot(entry)
  }
}
