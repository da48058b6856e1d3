/**
 * @module The responder's contract (spec honeybee §10, ADR 4): what an accepted connection offers, and
 * how one is made. The implementation is `responder.ts`.
 */
import type { ConnectionStatus } from 'roots-ws'
import type { Observable, SchedulerLike } from 'rxjs'
import type { HealthConfig } from './config.js'
import type { HoneybeeError } from './errors.js'
import type { HealthMonitor } from './heartbeat.js'
import type { MetricsCollector, MetricsSnapshot } from './metrics.js'
import type { RateLimiter } from './rate-limiter.js'
import type { PartialResponderLimits } from './responder-limits.js'
import type { CloseInfo, SocketHandlers, SocketLike } from './socket.js'

/**
 * Hands the responder's handlers to an accepted, open socket and returns that socket; the responder
 * counterpart of `SocketFactory`. One function rather than a socket plus an `attach` step, so that no
 * socket exists without its handlers. It must not call a handler before it returns.
 */
export type SocketAcceptor = (handlers: SocketHandlers) => SocketLike

/** A REQ or COUNT the peer sent, accepted within the limits. */
export interface InboundRequest {
  /** The subscription id. */
  readonly subId: string
  /** Its filters, each as the raw JSON text the peer sent. */
  readonly filters: readonly string[]
}

/** An EVENT or AUTH the peer sent. */
export interface InboundEvent {
  /**
   * The event's `id`, read from the raw text without parsing it (what an OK answers to); `undefined`
   * if the event has no string `id`. Not verified: checking it against the content is the relay's job.
   */
  readonly id: string | undefined
  /** The event, as the raw JSON text the peer sent (validated as a JSON object, nothing more). */
  readonly event: string
}

/**
 * One accepted connection, on the responder side (spec ADR 4). The `send*` methods return whether the
 * envelope was handed to the socket: `false` once the connection is closing or closed, or (for
 * `sendEvent`/`sendEOSE`) when the subscription is not live, which is the normal race of an answer
 * computed after the peer's CLOSE. They never throw for those.
 *
 * @example
 * ```ts
 * import { serve } from 'honeybee-node'
 *
 * const relay = await serve({ limits: { maxSubscriptions: 50 } })
 * relay.connections$.subscribe((conn) => {
 *   conn.events$.subscribe(({ id }) => id !== undefined && conn.sendOK(id, true, ''))
 *   conn.reqs$.subscribe(({ subId }) => {
 *     conn.sendEvent(subId, '{"id":"ab12","kind":1,"content":"hi"}')
 *     conn.sendEOSE(subId)
 *   })
 *   conn.closes$.subscribe((subId) => console.log(conn.id, 'closed', subId))
 * })
 * ```
 */
export interface ResponderConnection {
  /** The side of the connection: this one accepted. */
  readonly role: 'responder'
  /** An ephemeral session id (16 hex characters unless given), unique per connection. */
  readonly id: string
  /** `connected`, then `closing` (after `close()`), then `closed`; replays the current one. */
  readonly status$: Observable<ConnectionStatus>
  /** The current status, synchronously. */
  readonly status: ConnectionStatus
  /** How the socket ended, once it has. */
  readonly closeInfo: CloseInfo | undefined
  /**
   * What went wrong: bad input from the peer (`ProtocolError`: `MalformedEnvelope`,
   * `UnknownEnvelopeType`, `EnvelopeTooLarge`, `RateLimitExceeded`, `TooManySubscriptions`), which was
   * answered and dropped; and why the connection ended, when it did not end cleanly
   * (`ConnectionError`: `SlowConsumer`, `PongTimeout`, `ConnectionUnhealthy`, `ConnectionClosed`).
   */
  readonly errors$: Observable<HoneybeeError>
  /** Every incoming envelope within `maxMessageSize`, before rate limiting and parsing. */
  readonly messages$: Observable<string>
  /** Each REQ accepted; a REQ reusing a live id replaces that subscription (stop serving the old one). */
  readonly reqs$: Observable<InboundRequest>
  /** The id of each live subscription the peer ended: its CLOSE, or a refused replacement REQ. */
  readonly closes$: Observable<string>
  /** Each EVENT the peer published, within the limits. Answer it with {@link sendOK}. */
  readonly events$: Observable<InboundEvent>
  /** Each NIP-42 AUTH response. Answer it with {@link sendOK}. */
  readonly auths$: Observable<InboundEvent>
  /** Each NIP-45 COUNT request. Answer it with {@link sendCount}, or refuse it with {@link sendClosed}. */
  readonly counts$: Observable<InboundRequest>
  /** The live subscription ids: opened by a REQ, ended by CLOSE, {@link sendClosed} or the connection's end. */
  readonly subscriptions: ReadonlySet<string>
  /** The metrics now. */
  metrics(): MetricsSnapshot
  /** Bytes handed to the socket and not yet written to the network. */
  readonly bufferedAmount: number
  /** Sends `["EVENT",subId,event]` on a live subscription; the event is raw JSON, inserted as given. */
  sendEvent(subId: string, eventJson: string): boolean
  /** Sends `["EOSE",subId]` on a live subscription. */
  sendEOSE(subId: string): boolean
  /** Sends `["OK",eventId,accepted,message]`; start `message` with a NIP-01 prefix when refusing. */
  sendOK(eventId: string, accepted: boolean, message: string): boolean
  /** Sends `["NOTICE",message]`. */
  sendNotice(message: string): boolean
  /** Sends `["CLOSED",subId,message]` and ends the subscription, if live (also refuses a COUNT). */
  sendClosed(subId: string, message: string): boolean
  /** Sends a NIP-42 `["AUTH",challenge]`. */
  sendAuthChallenge(challenge: string): boolean
  /**
   * Sends a NIP-45 `["COUNT",subId,{"count":n}]` (with `"approximate":true` when asked).
   * @throws {UsageError} `InvalidArgument` unless `count` is a non-negative safe integer.
   */
  sendCount(subId: string, count: number, approximate?: boolean): boolean
  /**
   * Closes gracefully: a close frame now, and the socket terminated if the peer has not finished the
   * handshake within `closeTimeout`. Idempotent. A reason over 123 UTF-8 bytes is truncated.
   *
   * ```
   * connected ──close()──► closing ──peer's close frame, or closeTimeout (terminate)──► closed
   *     └──── peer closed · terminate() · slow reader · unhealthy ──────────────────────┘
   * ```
   * @param code - @default 1000
   * @throws {UsageError} `InvalidArgument` for a code that may not be sent (1004–1006, 1015, <1000, 2xxx, ≥5000).
   */
  close(code?: number, reason?: string): void
  /** Destroys the socket at once, without a close handshake. Idempotent. */
  terminate(): void
}

/** Replaceable parts (spec ADR 8), e.g. mana-ws policies or test doubles. */
export interface ResponderComponents {
  /**
   * @default when the socket can ping, a heartbeat with the policy of `createHeartbeat(health)` on one
   * timer shared by every responder with the same scheduler and health config (as all the connections
   * of one `serve()` are); otherwise none
   */
  readonly healthMonitor?: HealthMonitor
  /** Incoming messages. @default a token bucket when `limits.rateLimit.enabled`, otherwise none */
  readonly rateLimiter?: RateLimiter
  /** @default createMetrics() */
  readonly metrics?: MetricsCollector
}

/** Options of {@link createResponder}. */
export interface ResponderOptions {
  /** What each peer is allowed; see {@link ResponderLimits}. */
  readonly limits?: PartialResponderLimits
  /** Ping-based dead-peer detection; a peer that misses `failureThreshold` pongs is terminated. @default DEFAULT_CONFIG.health */
  readonly health?: Partial<HealthConfig>
  /** Labels besides the NIP-01/42/45 ones that are delivered on `messages$` without a NOTICE. @default [] */
  readonly customLabels?: readonly string[]
  /** The clock of every timer. @default asyncScheduler */
  readonly scheduler?: SchedulerLike
  /** The session id. @default 16 random hex characters */
  readonly id?: string
  readonly components?: ResponderComponents
}
