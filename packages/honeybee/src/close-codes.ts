/**
 * @module WebSocket close codes (RFC 6455 §7.4, IANA registry) and HTTP upgrade statuses, classified by
 * whether reconnecting may help, and the {@link ConnectionError} a finished socket becomes.
 *
 * The classification follows 002_websocket-research-for-nostr.md ("Error handling and state
 * management"): transient network and server conditions are retried with backoff; a close that says
 * *the same connection would fail the same way again* is not. This side only closes a connection it
 * no longer wants, so any close it did not ask for (even a normal one) means it still wants the
 * connection back.
 *
 * | code | name | meaning | retry? | why |
 * | --- | --- | --- | --- | --- |
 * | 1000 | Normal | the peer closed on purpose | yes | we still want the connection; a relay that closes idle clients is reconnected |
 * | 1001 | GoingAway | the server is shutting down or restarting | yes | it comes back |
 * | 1002 | ProtocolError | the peer saw a protocol violation | no | the same frames would fail again; a bug on one side |
 * | 1003 | UnsupportedData | the peer cannot accept this data type (e.g. binary) | no | the same data would be refused again |
 * | 1005 | NoStatus | closed without a status code | yes | no sign of a permanent problem |
 * | 1006 | Abnormal | dropped without a close frame (network, crash, failed handshake) | yes | the classic transient failure |
 * | 1007 | InvalidPayload | a message was inconsistent with its type (e.g. bad UTF-8) | no | the same payload would be refused again |
 * | 1008 | PolicyViolation | refused by policy (auth, ban, abuse) | no | retrying looks like more abuse |
 * | 1009 | MessageTooBig | a message exceeded the peer's limit | yes | the link is fine; the oversized message is not resent |
 * | 1010 | MandatoryExtension | the server did not negotiate an extension the client requires | no | the same negotiation would fail again |
 * | 1011 | InternalError | the server hit an unexpected condition | yes | usually transient (overload, bug on one request) |
 * | 1012 | ServiceRestart | the server is restarting | yes | it comes back |
 * | 1013 | TryAgainLater | the server is overloaded | yes | with backoff, as asked |
 * | 1014 | BadGateway | a gateway got a bad answer from upstream | yes | the upstream is usually back soon |
 * | 4000 | DontRetry | application convention (rx-nostr `DONT_RETRY`): "do not reconnect" | no | the relay asked |
 * | other 1xxx, 3xxx, 4xxx | | unregistered or application-defined | yes | unknown meaning; assume transient |
 *
 * An HTTP status instead of 101 answering the upgrade request: 408, 425, 429 and 5xx are retried
 * (timeout, too early, rate-limited, server trouble); every other 4xx (401, 403, 404, …) is not, since
 * the same request would get the same answer; anything else (a redirect, a 200 from a non-WebSocket
 * endpoint) is retried.
 */
import { ConnectionError } from './errors.js'
import type { CloseInfo } from './socket.js'

/** The WebSocket close codes honeybee names; see the module table for their meaning. */
export const CloseCode = {
  /** 1000: closed on purpose. Retried. */
  Normal: 1000,
  /** 1001: the endpoint is going away (server shutdown, page navigation). Retried. */
  GoingAway: 1001,
  /** 1002: protocol violation. Not retried. */
  ProtocolError: 1002,
  /** 1003: data of a type the endpoint cannot accept. Not retried. */
  UnsupportedData: 1003,
  /** 1005: no status code was present (never sent on the wire). Retried. */
  NoStatus: 1005,
  /** 1006: closed without a close frame (never sent on the wire). Retried. */
  Abnormal: 1006,
  /** 1007: a message's data was inconsistent with its type. Not retried. */
  InvalidPayload: 1007,
  /** 1008: a message violated the endpoint's policy. Not retried. */
  PolicyViolation: 1008,
  /** 1009: a message was too big to process. Retried. */
  MessageTooBig: 1009,
  /** 1010: the client required an extension the server did not negotiate. Not retried. */
  MandatoryExtension: 1010,
  /** 1011: the server hit an unexpected condition. Retried. */
  InternalError: 1011,
  /** 1012: the service is restarting. Retried. */
  ServiceRestart: 1012,
  /** 1013: try again later (overload). Retried. */
  TryAgainLater: 1013,
  /** 1014: a gateway or proxy got an invalid response from upstream. Retried. */
  BadGateway: 1014,
  /** 4000: application convention for "do not reconnect" (rx-nostr `DONT_RETRY`). Not retried. */
  DontRetry: 4000,
} as const

/** One of the named {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** The codes after which the same connection would fail the same way again (see the module table). */
const NOT_RETRIABLE: ReadonlySet<number> = new Set([1002, 1003, 1007, 1008, 1010, 4000])

/**
 * Whether reconnecting after the peer closed with `code` may help. Not retriable: 1002, 1003, 1007,
 * 1008, 1010 and 4000 (the "don't retry" convention rx-nostr uses). Everything else (1000, 1001, 1005,
 * 1006, 1009, 1011–1014, other 3xxx/4xxx) is retriable: a relay that closes normally while we still
 * want the connection is reconnected.
 *
 * @example
 * ```ts
 * isRetriableClose(CloseCode.GoingAway) // true
 * isRetriableClose(CloseCode.DontRetry) // false
 * ```
 */
export function isRetriableClose(code: number): boolean {
  return !NOT_RETRIABLE.has(code)
}

/**
 * Whether an HTTP status answering the upgrade request is worth retrying: 408, 425, 429 and 5xx yes;
 * other 4xx (401, 403, 404, …) no; anything else yes.
 *
 * @example
 * ```ts
 * isRetriableHttpStatus(503) // true
 * isRetriableHttpStatus(404) // false
 * ```
 */
export function isRetriableHttpStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true
  return !(status >= 400 && status < 500)
}

/**
 * Turns how a socket ended into a {@link ConnectionError}: code `ConnectionFailed` when it never opened,
 * `ConnectionClosed` when it had; `closeCode` set; `retriable` from {@link isRetriableHttpStatus} when
 * the server answered the upgrade with an HTTP status, from {@link isRetriableClose} otherwise; `cause`
 * is the environment's error. The message names the close code, the reason and the HTTP status.
 *
 * @param opened - whether the socket had opened (reported `onOpen`) before it ended.
 *
 * @example
 * ```ts
 * closeError({ code: 1006, reason: '', httpStatus: 503 }, false).message
 * // 'Connection failed (HTTP 503 to the upgrade request, close code 1006 Abnormal)'
 * closeError({ code: 4000, reason: 'banned' }, true).retriable // false
 * ```
 */
export function closeError(info: CloseInfo, opened: boolean): ConnectionError {
  const retriable =
    info.httpStatus === undefined ? isRetriableClose(info.code) : isRetriableHttpStatus(info.httpStatus)
  return new ConnectionError(opened ? 'ConnectionClosed' : 'ConnectionFailed', describeClose(info, opened), {
    closeCode: info.code,
    retriable,
    cause: info.error,
  })
}

/**
 * The {@link CloseCode} keys of 1000–1014, in order ('' where there is none), for messages. Spelled out
 * rather than derived from `CloseCode`, so that a page does not carry that object; close-codes.test.ts
 * checks that both agree.
 */
const NAMES =
  'Normal GoingAway ProtocolError UnsupportedData  NoStatus Abnormal InvalidPayload PolicyViolation ' +
  'MessageTooBig MandatoryExtension InternalError ServiceRestart TryAgainLater BadGateway'

/** The human-readable name of a close code: its {@link CloseCode} key, or its range. @internal */
export function closeCodeName(code: number): string {
  if (code === 4000) return 'DontRetry'
  // Split here, not at load: a module-level call would stay in bundles that never name a code.
  const name = NAMES.split(' ')[code - 1000]
  if (name) return name
  if (code >= 4000 && code <= 4999) return 'application-defined'
  if (code >= 3000 && code <= 3999) return 'registered'
  return 'unknown'
}

function describeClose(info: CloseInfo, opened: boolean): string {
  const http = info.httpStatus === undefined ? '' : `HTTP ${info.httpStatus} to the upgrade request, `
  const reason = info.reason === '' ? '' : `, reason "${info.reason}"`
  const detail = info.error instanceof Error && info.error.message !== '' ? `: ${info.error.message}` : ''
  return `Connection ${opened ? 'closed' : 'failed'} (${http}close code ${info.code} ${closeCodeName(info.code)}${reason})${detail}`
}
