/**
 * Nostr events for the interop tests: really signed ones (nostr-tools), and cheap unsigned bulk ones for
 * streaming tests, where signing (about 6 ms an event here) would dominate the run.
 */
import { createHash } from 'node:crypto'
import type { NostrEvent } from 'honeybee-node'
import { type EventTemplate, finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'

/** The current Unix time, in seconds. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** An author: a secret key, its public key, and a way to sign events with it. */
export interface Author {
  readonly secretKey: Uint8Array
  readonly pubkey: string
  /** Signs an event; every field but `kind` has a default (now, no tags, unique content). */
  sign(template: Partial<EventTemplate> & { readonly kind?: number }): NostrEvent
}

let serial = 0

/** A new author with a fresh key. */
export function newAuthor(): Author {
  const secretKey = generateSecretKey()
  return {
    secretKey,
    pubkey: getPublicKey(secretKey),
    sign(template) {
      const signed = finalizeEvent(
        {
          kind: template.kind ?? 1,
          created_at: template.created_at ?? nowSeconds(),
          tags: template.tags ?? [],
          content: template.content ?? `interop ${serial++} ${Math.random()}`,
        },
        secretKey,
      )
      // A plain object: nostr-tools marks the events it signs as verified with a symbol, and a relay
      // or client that checks that mark would skip the real verification.
      return JSON.parse(JSON.stringify(signed)) as NostrEvent
    },
  }
}

/** The same event with one signature character changed: the id still matches, the signature does not. */
export function withBadSignature(event: NostrEvent): NostrEvent {
  const last = event.sig.at(-1) === '0' ? '1' : '0'
  return { ...event, sig: `${event.sig.slice(0, -1)}${last}` }
}

/**
 * `count` kind-1 events of one made-up author with correct ids but an invalid signature, `created_at`
 * from `firstCreatedAt` up one second each. Only for stores that trust their input and clients that do
 * not verify: the transport tests move events, they do not judge them.
 */
export function unsignedEvents(count: number, firstCreatedAt: number): NostrEvent[] {
  const pubkey = getPublicKey(generateSecretKey())
  const sig = '0'.repeat(128)
  const events: NostrEvent[] = []
  for (let i = 0; i < count; i++) {
    const createdAt = firstCreatedAt + i
    const content = `bulk ${i}`
    // NIP-01's id, with Node's sha256 (nostr-tools' getEventHash is ten times slower here).
    const id = createHash('sha256')
      .update(JSON.stringify([0, pubkey, createdAt, 1, [], content]))
      .digest('hex')
    events.push({ id, pubkey, created_at: createdAt, kind: 1, tags: [], content, sig })
  }
  return events
}
