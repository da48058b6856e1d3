/**
 * @module Building envelopes.
 *
 * Each function concatenates: strings are escaped exactly as `JSON.stringify` escapes them, and raw
 * JSON arguments (events, filters) are inserted as given, never re-serialized (spec roots-ws ADR 2).
 * The output is compact JSON with no added whitespace. The caller vouches that raw JSON arguments are
 * valid JSON; the receiving side's `find*` functions are where validation happens.
 *
 * @example
 * ```ts
 * encloseReq('s', ['{"kinds":[1]}']) // '["REQ","s",{"kinds":[1]}]'
 * encloseOK('ab', true, '')          // '["OK","ab",true,""]'
 * ```
 */
import type { Envelope } from './envelope.js'

const quote = JSON.stringify

/** `["EVENT",<event>]`: an event a client publishes. */
export function encloseEvent(eventJson: string): Envelope {
  return `["EVENT",${eventJson}]`
}

/** `["EVENT",<subId>,<event>]`: an event a relay delivers on a subscription. */
export function encloseSubscriptionEvent(subId: string, eventJson: string): Envelope {
  return `["EVENT",${quote(subId)},${eventJson}]`
}

/** `["REQ",<subId>,<filter>...]`: opens or replaces a subscription. */
export function encloseReq(subId: string, filtersJson: readonly string[]): Envelope {
  return filtersJson.length === 0
    ? `["REQ",${quote(subId)}]`
    : `["REQ",${quote(subId)},${filtersJson.join(',')}]`
}

/** `["CLOSE",<subId>]`: a client ends a subscription. */
export function encloseClose(subId: string): Envelope {
  return `["CLOSE",${quote(subId)}]`
}

/** `["CLOSED",<subId>,<message>]`: a relay ends a subscription. */
export function encloseClosed(subId: string, message: string): Envelope {
  return `["CLOSED",${quote(subId)},${quote(message)}]`
}

/** `["NOTICE",<message>]`: a human-readable message from a relay. */
export function encloseNotice(message: string): Envelope {
  return `["NOTICE",${quote(message)}]`
}

/** `["EOSE",<subId>]`: the relay has sent every stored event for the subscription. */
export function encloseEOSE(subId: string): Envelope {
  return `["EOSE",${quote(subId)}]`
}

/** `["OK",<eventId>,<status>,<message>]`: a relay accepts or rejects a published event. */
export function encloseOK(eventId: string, status: boolean, message: string): Envelope {
  return `["OK",${quote(eventId)},${status},${quote(message)}]`
}

/** `["AUTH",<challenge>]`: a relay asks the client to authenticate (NIP-42). */
export function encloseAuthChallenge(challenge: string): Envelope {
  return `["AUTH",${quote(challenge)}]`
}

/** `["AUTH",<event>]`: a client's signed authentication event (NIP-42). */
export function encloseAuthResponse(eventJson: string): Envelope {
  return `["AUTH",${eventJson}]`
}
