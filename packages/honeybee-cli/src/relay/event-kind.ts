/** @module How NIP-01 sorts event kinds into storage classes. */

/** How a relay keeps events of a kind (NIP-01 "Kinds"). */
export type KindClass = 'regular' | 'replaceable' | 'ephemeral' | 'addressable'

/** The storage class of `kind`. */
export function kindClass(kind: number): KindClass {
  if (kind === 0 || kind === 3 || (kind >= 10_000 && kind < 20_000)) return 'replaceable'
  if (kind >= 20_000 && kind < 30_000) return 'ephemeral'
  if (kind >= 30_000 && kind < 40_000) return 'addressable'
  return 'regular'
}

/** NIP-09: a deletion request. */
export const DELETION_KIND = 5
