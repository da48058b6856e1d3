/** Nostr events for the browser tests: many cheap ones for a relay's store, and a few signed ones to publish. */
import type { NostrEvent } from 'honeybee'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/**
 * `count` kind-1 events, unsigned (the store trusts its input; only published events are verified),
 * a second apart and a day old, so that a re-subscription's `since` does not ask for them again.
 */
export function storedEvents(count: number): NostrEvent[] {
  const start = Math.floor(Date.now() / 1000) - 86_400
  return Array.from({ length: count }, (_, i) => ({
    id: hex(i + 1, 64),
    pubkey: hex(0xbee, 64),
    created_at: start + i,
    kind: 1,
    tags: [],
    content: `stored event ${i}`,
    sig: hex(0, 128),
  }))
}

const secretKey = generateSecretKey()

/** `count` signed kind-1 events created now, which a relay accepts with OK. */
export function signedEvents(count: number, label: string): NostrEvent[] {
  const now = Math.floor(Date.now() / 1000)
  return Array.from({ length: count }, (_, i) =>
    finalizeEvent({ kind: 1, created_at: now, tags: [], content: `${label} ${i}` }, secretKey),
  )
}
