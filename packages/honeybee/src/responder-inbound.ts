/**
 * @module What a responder receives: an initiator's envelopes, read into values, and the cheap peeks
 * that say how to answer one that is refused.
 *
 * {@link readInbound} validates in full (roots-ws `find*`); {@link peekReplyTarget} never validates or
 * parses a whole envelope, because it runs on envelopes that are refused for being too large or too
 * many, where full parsing is the cost being avoided.
 *
 * @example
 * ```ts
 * readInbound('["REQ","feed",{"kinds":[1]}]') // { type: 'REQ', subId: 'feed', filters: ['{"kinds":[1]}'] }
 * peekReplyTarget('["EVENT",{"id":"ab12","content":"…huge…"}]') // { type: 'OK', eventId: 'ab12' }
 * ```
 */
import {
  checkArrayLength,
  checkLabel,
  findAuthResponse,
  findClose,
  findEvent,
  findReq,
  getLabel,
  parseElement,
  peekEventId,
  splitEnvelope,
} from 'roots-ws'

/** An initiator's envelope, read. Raw JSON (events, filters) is the exact text the peer sent. */
export type InboundMessage =
  /** `["EVENT",<event>]`: publish an event. */
  | { readonly type: 'EVENT'; readonly event: string }
  /** `["REQ",<subId>,<filter>...]`: open or replace a subscription. */
  | { readonly type: 'REQ'; readonly subId: string; readonly filters: readonly string[] }
  /** `["CLOSE",<subId>]`: end a subscription. */
  | { readonly type: 'CLOSE'; readonly subId: string }
  /** `["AUTH",<event>]`: a signed NIP-42 authentication event. */
  | { readonly type: 'AUTH'; readonly event: string }
  /** `["COUNT",<subId>,<filter>...]`: a NIP-45 count request. */
  | { readonly type: 'COUNT'; readonly subId: string; readonly filters: readonly string[] }
  /** A well-formed envelope with any other label; its elements are not validated. */
  | { readonly type: 'other'; readonly label: string }

/**
 * Reads an envelope an initiator sent.
 * @throws {RootsError} when the envelope is malformed, or is a known label with the wrong shape.
 * @example
 * ```ts
 * readInbound('["CLOSE","feed"]') // { type: 'CLOSE', subId: 'feed' }
 * readInbound('["HELLO"]')        // { type: 'other', label: 'HELLO' }
 * ```
 */
export function readInbound(env: string): InboundMessage {
  const label = getLabel(env)
  switch (label) {
    case 'EVENT':
      return { type: 'EVENT', event: findEvent(env) }
    case 'REQ':
      return { type: 'REQ', ...findReq(env) }
    case 'CLOSE':
      return { type: 'CLOSE', subId: findClose(env) }
    case 'AUTH':
      return { type: 'AUTH', event: findAuthResponse(env) }
    case 'COUNT':
      return { type: 'COUNT', ...findCountRequest(env) }
    default:
      return { type: 'other', label }
  }
}

/**
 * The subscription id and filters of an initiator's NIP-45 `["COUNT",<subId>,<filter>...]`, each
 * filter as raw JSON; built from the roots-ws helpers, with the same errors as `findReq`.
 * @throws {RootsError} when the envelope is malformed, not a COUNT, or has no string id.
 * @example
 * ```ts
 * findCountRequest('["COUNT","q",{"kinds":[1]}]') // { subId: 'q', filters: ['{"kinds":[1]}'] }
 * ```
 */
export function findCountRequest(env: string): { subId: string; filters: string[] } {
  const elements = splitEnvelope(env)
  checkLabel(parseElement(elements[0], 'label', 'string'), 'COUNT')
  checkArrayLength(elements, 2)
  const subId = parseElement(elements[1], 'COUNT element 1 (subscription id)', 'string')
  const filters: string[] = []
  for (let i = 2; i < elements.length; i++)
    filters.push(parseElement(elements[i], `COUNT element ${i} (filter)`, 'object'))
  return { subId, filters }
}

/** How to answer a refused envelope: which reply names it, if any can. */
export type ReplyTarget =
  /** An EVENT or AUTH whose event id was read: answer `OK <eventId> false "<reason>"`. */
  | { readonly type: 'OK'; readonly eventId: string }
  /** A REQ or COUNT whose subscription id was read: answer `CLOSED <subId> "<reason>"`. */
  | { readonly type: 'CLOSED'; readonly label: 'REQ' | 'COUNT'; readonly subId: string }

/** The label and the comma after it, at the very start of the envelope. */
const HEAD = /^\s*\[\s*"(EVENT|AUTH|REQ|COUNT)"\s*,\s*/
/** A JSON string of at most 1,024 characters: the subscription id after a REQ's or COUNT's label. */
const SUB_ID = /^"(?:[^"\\]|\\.){0,1024}"/
/** Longest event id echoed in an OK: a real one is 64 hex characters; anything longer is not answered by id. */
const MAX_EVENT_ID = 64

/**
 * Reads just enough of an envelope, without validating it, to answer it by name: the event id of an
 * EVENT or AUTH (read by roots-ws `peekEventId`, skipping the other fields), or the subscription id of
 * a REQ or COUNT. `undefined` when there is none to read; answer with a NOTICE then. Never throws.
 * @example
 * ```ts
 * peekReplyTarget('["REQ","feed",{"kinds":[1]},') // { type: 'CLOSED', label: 'REQ', subId: 'feed' } (truncated, still read)
 * peekReplyTarget('["CLOSE","feed"]')             // undefined
 * ```
 */
export function peekReplyTarget(env: string): ReplyTarget | undefined {
  const head = HEAD.exec(env)
  if (head === null) return undefined
  const label = head[1]
  const rest = env.slice(head[0].length)
  if (label === 'EVENT' || label === 'AUTH') {
    const eventId = peekEventId(rest)
    return eventId !== undefined && eventId.length <= MAX_EVENT_ID ? { type: 'OK', eventId } : undefined
  }
  const quoted = SUB_ID.exec(rest)
  if (quoted === null) return undefined
  let subId: string
  try {
    subId = JSON.parse(quoted[0]) as string // rejects control characters and bad escapes
  } catch {
    return undefined
  }
  return { type: 'CLOSED', label: label === 'REQ' ? 'REQ' : 'COUNT', subId }
}
