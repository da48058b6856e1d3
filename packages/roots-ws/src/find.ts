/**
 * @module Reading envelopes.
 *
 * Each function validates the whole envelope in a single pass that also locates its elements, then
 * checks the label, the length and each element's type. Raw JSON (events, filters) comes back as the
 * exact substring of the envelope; strings come back decoded. Extra trailing elements are ignored, for
 * forward compatibility, except in REQ, where every element after the id is a filter.
 *
 * @throws {RootsError} always and only this; see {@link RootsErrorCode} for which code when.
 * @example
 * ```ts
 * const { subId, event } = findSubscriptionEvent('["EVENT","s",{"id":"ab"}]')
 * // subId === 's', event === '{"id":"ab"}'
 * ```
 */
import { checkArrayLength, checkLabel, type Envelope, readSpan, scanEnvelope } from './envelope.js'
import type { ElementSpan } from './json-scan.js'

/** Validates `env`, checks its label and minimum length, and returns its element spans. */
function open(env: Envelope, label: string, minLength: number): ElementSpan[] {
  const spans = scanEnvelope(env)
  checkLabel(readSpan(env, spans[0], 'label', 'string'), label)
  checkArrayLength(spans, minLength)
  return spans
}

/** The event of a client's `["EVENT",<event>]`, as raw JSON. */
export function findEvent(env: Envelope): string {
  const spans = open(env, 'EVENT', 2)
  return readSpan(env, spans[1], 'EVENT element 1 (event)', 'object')
}

/** The subscription id and event of a relay's `["EVENT",<subId>,<event>]`; the event as raw JSON. */
export function findSubscriptionEvent(env: Envelope): { subId: string; event: string } {
  const spans = open(env, 'EVENT', 3)
  return {
    subId: readSpan(env, spans[1], 'EVENT element 1 (subscription id)', 'string'),
    event: readSpan(env, spans[2], 'EVENT element 2 (event)', 'object'),
  }
}

/** The subscription id and filters of `["REQ",<subId>,<filter>...]`; each filter as raw JSON. */
export function findReq(env: Envelope): { subId: string; filters: string[] } {
  const spans = open(env, 'REQ', 2)
  const subId = readSpan(env, spans[1], 'REQ element 1 (subscription id)', 'string')
  const filters: string[] = []
  for (let i = 2; i < spans.length; i++)
    filters.push(readSpan(env, spans[i], `REQ element ${i} (filter)`, 'object'))
  return { subId, filters }
}

/** The event id, status and message of `["OK",<eventId>,<status>,<message>]`. */
export function findOK(env: Envelope): { eventId: string; status: boolean; message: string } {
  const spans = open(env, 'OK', 4)
  return {
    eventId: readSpan(env, spans[1], 'OK element 1 (event id)', 'string'),
    status: readSpan(env, spans[2], 'OK element 2 (status)', 'boolean'),
    message: readSpan(env, spans[3], 'OK element 3 (message)', 'string'),
  }
}

/** The subscription id of `["EOSE",<subId>]`. */
export function findEOSE(env: Envelope): string {
  const spans = open(env, 'EOSE', 2)
  return readSpan(env, spans[1], 'EOSE element 1 (subscription id)', 'string')
}

/** The subscription id of `["CLOSE",<subId>]`. */
export function findClose(env: Envelope): string {
  const spans = open(env, 'CLOSE', 2)
  return readSpan(env, spans[1], 'CLOSE element 1 (subscription id)', 'string')
}

/** The subscription id and message of `["CLOSED",<subId>,<message>]`. */
export function findClosed(env: Envelope): { subId: string; message: string } {
  const spans = open(env, 'CLOSED', 3)
  return {
    subId: readSpan(env, spans[1], 'CLOSED element 1 (subscription id)', 'string'),
    message: readSpan(env, spans[2], 'CLOSED element 2 (message)', 'string'),
  }
}

/** The message of `["NOTICE",<message>]`. */
export function findNotice(env: Envelope): string {
  const spans = open(env, 'NOTICE', 2)
  return readSpan(env, spans[1], 'NOTICE element 1 (message)', 'string')
}

/** The challenge of a relay's `["AUTH",<challenge>]` (NIP-42). */
export function findAuthChallenge(env: Envelope): string {
  const spans = open(env, 'AUTH', 2)
  return readSpan(env, spans[1], 'AUTH element 1 (challenge)', 'string')
}

/** The signed event of a client's `["AUTH",<event>]` (NIP-42), as raw JSON. */
export function findAuthResponse(env: Envelope): string {
  const spans = open(env, 'AUTH', 2)
  return readSpan(env, spans[1], 'AUTH element 1 (event)', 'object')
}
