import { mulberry32, WORDS } from './sample-text.js'
/**
 * Realistic-looking Nostr events for the pool suite (`pool.bench.ts`) and its relay (`pool-relay.ts`),
 * built deterministically and cheaply: kind 1 notes whose `["EVENT",<sub>,<event>]` envelope is
 * 400–1000 bytes, with random 64-hex ids and pubkeys, 128-hex signatures, `e`/`p` tags and prose with
 * some unicode, `\n` and `\"`.
 *
 * The signatures are not real: every client in the suite runs with signature verification off, so
 * what is measured is the transport (framing, parsing, routing, de-duplication), not secp256k1.
 */

/** A Nostr event, as every client hands it to the application. */
export interface BenchEvent {
  id: string
  pubkey: string
  created_at: number
  kind: number
  tags: string[][]
  content: string
  sig: string
}

const WORD_BYTES = WORDS.map((word) => Buffer.byteLength(word))

/** `00` … `ff`: `toString(16).padStart` costs about 0.6 µs a call, too much for 100,000 events. */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

const RELAYS = ['wss://relay.damus.io', 'wss://nos.lol', 'wss://relay.nostr.band']

/**
 * `count` distinct events from `seed`. Ids are random 256-bit values, so they are distinct; the
 * `created_at` values spread over a day, as a backfill's would.
 */
export function generateEvents(count: number, seed: number): BenchEvent[] {
  const next = mulberry32(seed)
  const unit = (): number => next() / 4294967296
  const hex = (chars: number): string => {
    let s = ''
    for (let i = 0; i < chars; i += 8) {
      const r = next()
      s += BYTE_HEX[r >>> 24]! + BYTE_HEX[(r >>> 16) & 255]! + BYTE_HEX[(r >>> 8) & 255]! + BYTE_HEX[r & 255]!
    }
    return s.slice(0, chars)
  }
  const prose = (bytes: number): string => {
    let s = ''
    let size = 0
    while (size < bytes) {
      // One draw per word: the low bits pick it, the high ones how it ends (8 % of sentences end).
      const r = next()
      const w = r % WORDS.length
      const e = r >>> 24
      const end = e < 20 ? (e < 6 ? '.\n\n' : '. ') : ' '
      s += WORDS[w]! + end
      size += WORD_BYTES[w]! + end.length
    }
    return s
  }
  const events: BenchEvent[] = []
  for (let n = 0; n < count; n++) {
    const target = 400 + (next() % 560)
    const tags: string[][] = []
    const tagCount = next() % 4
    for (let i = 0; i < tagCount; i++) {
      tags.push(
        unit() < 0.5
          ? ['e', hex(64), RELAYS[i % RELAYS.length]!, i === 0 ? 'root' : 'reply']
          : ['p', hex(64)],
      )
    }
    const event: BenchEvent = {
      id: hex(64),
      pubkey: hex(64),
      created_at: 1_732_233_600 + (next() % 86_400),
      kind: 1,
      tags,
      content: '',
      sig: hex(128),
    }
    // The envelope's size without content, with a typical subscription id.
    let bare = Buffer.byteLength(JSON.stringify(['EVENT', 'sub:1', event]))
    while (bare + 40 > target && tags.length > 0) {
      tags.pop()
      bare = Buffer.byteLength(JSON.stringify(['EVENT', 'sub:1', event]))
    }
    event.content = prose(Math.max(16, target - bare - 8))
    events.push(event)
  }
  return events
}
