/**
 * The deterministic randomness and word list every benchmark builds its realistic events from, so
 * that every run of every suite measures the same bytes.
 */

/** mulberry32: a small deterministic generator of unsigned 32-bit integers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** The same generator, as numbers in [0, 1). */
export function prng(seed: number): () => number {
  const next = mulberry32(seed)
  return () => next() / 4294967296
}

/** `chars` random lowercase hex digits. */
export function randomHex(random: () => number, chars: number): string {
  let s = ''
  for (let i = 0; i < chars; i++) s += '0123456789abcdef'[Math.floor(random() * 16)]
  return s
}

/** Words for prose: mostly ASCII, with some multi-byte characters and quotes to escape. */
export const WORDS: readonly string[] = [
  'nostr',
  'relay',
  'the',
  'a',
  'of',
  'and',
  'signed',
  'event',
  'key',
  'zap',
  'lightning',
  'note',
  'protocol',
  'client',
  'social',
  'network',
  'is',
  'simple',
  'open',
  'café',
  'über',
  '日本語',
  'привет',
  '🎉',
  '⚡️',
  '"quoted"',
]
