/** @module Envelope labels: reading one cheaply, and the standard set. */
import { type Envelope, scanEnvelope } from './envelope.js'
import { RootsError } from './errors.js'
import { decodeString, ScanError, scanString, skipWhitespace } from './json-scan.js'

/** The labels NIP-01 and NIP-42 define. */
export type StandardLabel = 'EVENT' | 'REQ' | 'CLOSE' | 'CLOSED' | 'EOSE' | 'NOTICE' | 'OK' | 'AUTH'

const STANDARD_LABELS: readonly StandardLabel[] = [
  'EVENT',
  'REQ',
  'CLOSE',
  'CLOSED',
  'EOSE',
  'NOTICE',
  'OK',
  'AUTH',
]
const STANDARD_LABEL_SET: ReadonlySet<string> = new Set(STANDARD_LABELS)

/**
 * Reads an envelope's label without reading the rest of it, so its cost does not grow with the
 * envelope. The rest is not validated: a `find*` function does that.
 *
 * @throws {RootsError} `InvalidJSON` or `InvalidEnvelope` when no label can be read; the code is
 * decided by validating the whole text, which only happens on this failure path.
 * @example
 * ```ts
 * getLabel('["EOSE","sub1"]') // 'EOSE'
 * ```
 */
export function getLabel(env: Envelope): string {
  let i = skipWhitespace(env, 0)
  if (env.charCodeAt(i) === 0x5b) {
    i = skipWhitespace(env, i + 1)
    if (env.charCodeAt(i) === 0x22) {
      try {
        const end = scanString(env, i)
        const next = env.charCodeAt(skipWhitespace(env, end))
        if (next === 0x2c || next === 0x5d) return decodeString(env, i, end)
      } catch (error) {
        if (!(error instanceof ScanError)) throw error
      }
    }
  }
  // No label at the front: let the full validation say whether the text is bad JSON or a bad envelope.
  scanEnvelope(env)
  throw new RootsError('InvalidEnvelope', 'envelope has no label') // unreachable for valid envelopes
}

/**
 * The standard Nostr labels: EVENT, REQ, CLOSE, CLOSED, EOSE, NOTICE, OK, AUTH.
 * @returns a new set each call, so callers may change it freely.
 */
export function getStandardLabels(): Set<StandardLabel> {
  return new Set(STANDARD_LABELS)
}

/**
 * Whether `label` is one of the standard Nostr labels.
 * @example
 * ```ts
 * isStandardLabel('EOSE') // true
 * isStandardLabel('COUNT') // false
 * ```
 */
export function isStandardLabel(label: string): label is StandardLabel {
  return STANDARD_LABEL_SET.has(label)
}
