/**
 * @module Every error honeybee reports, by who is at fault (spec honeybee §13).
 *
 * Errors from the network or the peer flow on a connection's `errors$` stream and never complete or
 * error a data stream. Errors from the caller (sending on a closed connection, overflowing the write
 * queue, an envelope over the size limit) are thrown synchronously by the call that caused them.
 *
 * | class | code | who is at fault |
 * | --- | --- | --- |
 * | {@link ConnectionError} | `ConnectionFailed`, `ConnectionTimeout`, `ConnectionClosed`, `MaxReconnectAttemptsExceeded`, `PongTimeout`, `ConnectionUnhealthy`, `SlowConsumer` (responder: the peer stopped reading) | the network or the peer; reconnection handles it, observe it for logging |
 * | {@link ProtocolError} | `MalformedEnvelope`, `UnknownEnvelopeType`, `EnvelopeTooLarge` (incoming), `RateLimitExceeded`, `TooManySubscriptions` (responder limits) | the peer sent something bad; it was dropped (answered, on a responder) and counted |
 * | {@link UsageError} | `InvalidState`, `InvalidArgument`, `EnvelopeTooLarge` (outgoing), `WriteQueueFull`, `RelayNotFound`, `RelayAlreadyExists`, `SubscriptionNotFound`, `SubscriptionDuplicate` | the caller; fix the calling code |
 * | {@link TimeoutError} | `Timeout`, `RateLimited` | nobody yet: an answer or a token did not come in time |
 * | `RelayError` (relay-reply.ts) | the NIP-01 prefix: `auth-required`, `restricted`, `rate-limited`, … | the relay refused, and said why |
 */

/** Every stable error code honeybee uses. */
export type HoneybeeErrorCode =
  | ConnectionErrorCode
  | ProtocolErrorCode
  | UsageErrorCode
  | TimeoutErrorCode
  | RelayErrorCode

/**
 * Codes of `RelayError` (relay-reply.ts): the NIP-01 machine-readable prefix the relay gave.
 * Listed here so that every honeybee code is one union.
 */
export type RelayErrorCode =
  | 'auth-required'
  | 'rate-limited'
  | 'restricted'
  | 'invalid'
  | 'pow'
  | 'duplicate'
  | 'blocked'
  | 'error'
  | 'unsupported'
  | 'mute'

/**
 * Base class of every honeybee error; `code` is stable and safe to switch on.
 *
 * The subclasses' fields are `declare`d and set in their constructors: the same own properties, in the
 * same order, without class field definitions in the code a page downloads.
 */
export abstract class HoneybeeError extends Error {
  abstract readonly code: HoneybeeErrorCode
}

/** Codes of {@link ConnectionError}. */
export type ConnectionErrorCode =
  | 'ConnectionFailed'
  | 'ConnectionTimeout'
  | 'ConnectionClosed'
  | 'MaxReconnectAttemptsExceeded'
  | 'PongTimeout'
  | 'ConnectionUnhealthy'
  | 'SlowConsumer'

/**
 * The connection failed, timed out, was closed by the peer, or was declared unhealthy. The network or
 * the relay is at fault. Reported on `errors$`; the connection reconnects by itself when `retriable`.
 * You normally only observe these (logging, UI); there is nothing to catch.
 */
export class ConnectionError extends HoneybeeError {
  override readonly name = 'ConnectionError'
  declare readonly code: ConnectionErrorCode
  /** The WebSocket close code, when the connection closed with one. */
  declare readonly closeCode: number | undefined
  /** Whether reconnecting may help (see `close-codes.ts`). */
  declare readonly retriable: boolean

  constructor(
    code: ConnectionErrorCode,
    message: string,
    options: { closeCode?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.closeCode = options.closeCode
    this.retriable = options.retriable ?? true
  }
}

/** Codes of {@link ProtocolError}. */
export type ProtocolErrorCode =
  | 'MalformedEnvelope'
  | 'UnknownEnvelopeType'
  | 'EnvelopeTooLarge'
  | 'RateLimitExceeded'
  | 'TooManySubscriptions'

/**
 * The peer sent something this side cannot use: a malformed envelope (the roots-ws error is the
 * `cause`), an envelope with a label nobody listens for, or a frame over the size limit. The message was
 * dropped and counted; the connection and every stream go on.
 */
export class ProtocolError extends HoneybeeError {
  override readonly name = 'ProtocolError'
  declare readonly code: ProtocolErrorCode

  constructor(code: ProtocolErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

/** Codes of {@link UsageError}. */
export type UsageErrorCode =
  | 'InvalidState'
  | 'InvalidArgument'
  | 'EnvelopeTooLarge'
  | 'WriteQueueFull'
  | 'RelayNotFound'
  | 'RelayAlreadyExists'
  | 'SubscriptionNotFound'
  | 'SubscriptionDuplicate'

/**
 * The caller asked for something that cannot be done: sending on a closed connection, an envelope over
 * the size limit, more writes than the bounded queue holds. Thrown synchronously by the call. Fix the
 * calling code, or catch `WriteQueueFull` to apply your own back pressure.
 */
export class UsageError extends HoneybeeError {
  override readonly name = 'UsageError'
  declare readonly code: UsageErrorCode

  constructor(code: UsageErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Codes of {@link TimeoutError}. */
export type TimeoutErrorCode = 'Timeout' | 'RateLimited'

/** An answer (an OK, an EOSE) or a rate-limit token did not arrive within its time limit. */
export class TimeoutError extends HoneybeeError {
  override readonly name = 'TimeoutError'
  declare readonly code: TimeoutErrorCode
  /** The limit that ran out, in milliseconds. */
  declare readonly timeout: number

  constructor(code: TimeoutErrorCode, message: string, timeout: number) {
    super(message)
    this.code = code
    this.timeout = timeout
  }
}
