/**
 * @module Deciding whether an event may be stored: its shape, id, signature and `created_at`.
 *
 * Protocol semantics live in the application, never in the transport libraries (ARCHITECTURE §1).
 */
import type { NostrEvent } from 'honeybee-node'
import { verifyEvent } from 'nostr-tools/pure'

/** How far `created_at` may stray from the relay's clock, in seconds. */
export interface CreatedAtWindow {
  /** Oldest accepted: now minus this. @default Infinity (any age) */
  readonly past: number
  /** Newest accepted: now plus this. @default 900 (15 minutes) */
  readonly future: number
}

/** The reason `value` is not a well-formed event, or `undefined` when it is one. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'event is not an object'
  const e = value as Record<string, unknown>
  const hex = (s: unknown, n: number): boolean =>
    typeof s === 'string' && s.length === n && /^[0-9a-f]+$/.test(s)
  if (!hex(e.id, 64)) return 'id must be 64 lowercase hex characters'
  if (!hex(e.pubkey, 64)) return 'pubkey must be 64 lowercase hex characters'
  if (!hex(e.sig, 128)) return 'sig must be 128 lowercase hex characters'
  if (!Number.isInteger(e.created_at)) return 'created_at must be an integer'
  if (!Number.isInteger(e.kind) || (e.kind as number) < 0 || (e.kind as number) > 65_535)
    return 'kind must be 0–65535'
  if (typeof e.content !== 'string') return 'content must be a string'
  if (
    !Array.isArray(e.tags) ||
    !e.tags.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))
  ) {
    return 'tags must be arrays of strings'
  }
  return undefined
}

/**
 * Checks an incoming event.
 * @returns the event, or a reason with a NIP-01 prefix (`invalid:`) to send back in OK.
 */
export function validateEvent(
  value: unknown,
  window: CreatedAtWindow,
  nowSeconds: number,
): { ok: true; event: NostrEvent } | { ok: false; reason: string } {
  const problem = shapeProblem(value)
  if (problem !== undefined) return { ok: false, reason: `invalid: ${problem}` }
  const event = value as NostrEvent
  if (event.created_at > nowSeconds + window.future) {
    return { ok: false, reason: `invalid: created_at is more than ${window.future} s in the future` }
  }
  if (event.created_at < nowSeconds - window.past) {
    return { ok: false, reason: `invalid: created_at is more than ${window.past} s in the past` }
  }
  // verifyEvent checks the id is the hash of the event and the signature is the author's.
  if (!verifyEvent({ ...event, tags: event.tags.map((t) => [...t]) })) {
    return { ok: false, reason: 'invalid: bad id or signature' }
  }
  return { ok: true, event }
}
