/**
 * @module The two Nostr shapes the initiator functions hand out and take in (NIP-01).
 *
 * honeybee moves events; it does not judge them. Signatures, ids and filter matching are the
 * application's business (spec ADR 3: transport only).
 */

/** A signed Nostr event (NIP-01). */
export interface NostrEvent {
  readonly id: string
  readonly pubkey: string
  readonly created_at: number
  readonly kind: number
  readonly tags: readonly (readonly string[])[]
  readonly content: string
  readonly sig: string
}

/** A subscription filter (NIP-01). Tag filters are `#` plus a single letter: `{ '#e': [id] }`. */
export interface Filter {
  readonly ids?: readonly string[]
  readonly authors?: readonly string[]
  readonly kinds?: readonly number[]
  readonly since?: number
  readonly until?: number
  readonly limit?: number
  readonly search?: string
  readonly [tag: `#${string}`]: readonly string[] | undefined
}
