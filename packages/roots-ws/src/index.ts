/**
 * @module roots-ws: pure functions that build and parse Nostr envelopes as raw JSON, with typed errors.
 *
 * No I/O, no timers, no state, no dependencies; runs unchanged in browsers and Node.
 *
 * @example
 * ```ts
 * import { encloseReq, findSubscriptionEvent, getLabel } from 'roots-ws'
 *
 * const req = encloseReq('feed', ['{"kinds":[1],"limit":10}'])
 * const reply = '["EVENT","feed",{"id":"ab","kind":1}]'
 * if (getLabel(reply) === 'EVENT') findSubscriptionEvent(reply).event // '{"id":"ab","kind":1}'
 * ```
 */
export {
  encloseAuthChallenge,
  encloseAuthResponse,
  encloseClose,
  encloseClosed,
  encloseEOSE,
  encloseEvent,
  encloseNotice,
  encloseOK,
  encloseReq,
  encloseSubscriptionEvent,
} from './enclose.js'
export {
  checkArrayLength,
  checkLabel,
  type Envelope,
  type JsonType,
  type ParsedElement,
  parseElement,
  type RawElement,
  splitEnvelope,
} from './envelope.js'
export { RootsError, type RootsErrorCode } from './errors.js'
export {
  findAuthChallenge,
  findAuthResponse,
  findClose,
  findClosed,
  findEOSE,
  findEvent,
  findNotice,
  findOK,
  findReq,
  findSubscriptionEvent,
} from './find.js'
export { getLabel, getStandardLabels, isStandardLabel, type StandardLabel } from './label.js'
export { peekEventId, peekSubscriptionEvent } from './peek.js'
export { CONNECTION_STATUSES, type ConnectionStatus } from './status.js'
