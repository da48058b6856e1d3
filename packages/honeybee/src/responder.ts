/**
 * @module The responder role (spec honeybee §10, ADR 4): one connection this side accepted.
 *
 * A responder wraps a socket that is already open. It never dials or reconnects: when the socket
 * ends, the responder is finished. It reads what the initiator sends (EVENT, REQ, CLOSE, AUTH, COUNT)
 * into typed streams after enforcing the {@link ResponderLimits}, and it can send only what a
 * responder may send (subscription EVENT, EOSE, OK, NOTICE, CLOSED, AUTH challenge, COUNT result).
 * Initiator operations (publish, REQ, CLOSE, AUTH response) do not exist on its type.
 *
 * Bad input from the peer is answered per NIP-01 with a machine-readable prefix, reported as a typed
 * error on `errors$`, counted in the metrics, and never fatal. Only a peer that stops reading (the
 * socket buffers more than `maxBufferedBytes`) or stops answering pings loses its connection.
 *
 * Every stream is hot and completes when the connection is closed. Subscribe synchronously after
 * creating the responder (as a server does in its connection handler), or envelopes arrive unseen.
 * The contract, with an example, is {@link ResponderConnection} in `responder-connection.ts`.
 */
import {
  type ConnectionStatus,
  encloseAuthChallenge,
  encloseClosed,
  encloseEOSE,
  encloseNotice,
  encloseOK,
  encloseSubscriptionEvent,
  peekEventId,
  RootsError,
} from 'roots-ws'
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs'
import { CloseCode, closeError } from './close-codes.js'
import { DEFAULT_CONFIG } from './config.js'
import { canTransition } from './connection-status.js'
import {
  ConnectionError,
  type HoneybeeError,
  ProtocolError,
  type ProtocolErrorCode,
  UsageError,
} from './errors.js'
import type { HealthSignal } from './heartbeat.js'
import { HotStream, LatestStream } from './hot-stream.js'
import { createMetrics, type MetricsCollector, type MetricsSnapshot } from './metrics.js'
import { createTokenBucket, type RateLimiter, unlimited } from './rate-limiter.js'
import type {
  InboundEvent,
  InboundRequest,
  ResponderConnection,
  ResponderOptions,
  SocketAcceptor,
} from './responder-connection.js'
import { type InboundMessage, peekReplyTarget, readInbound } from './responder-inbound.js'
import { type ResponderLimits, resolveResponderLimits } from './responder-limits.js'
import { encloseCountResult, isSendableCloseCode, randomId, truncateUtf8 } from './responder-support.js'
import { sharedHeartbeat } from './shared-heartbeat.js'
import type { CloseInfo, SocketHandlers, SocketLike } from './socket.js'

/** The custom labels of a responder given none, shared. */
const NO_LABELS: ReadonlySet<string> = new Set()

/**
 * Wraps an accepted, open socket as a {@link ResponderConnection}. Environment packages bind the
 * acceptor: honeybee-node's `fromSocket(ws)` and `serve()`.
 * @example
 * ```ts
 * const conn = createResponder((handlers) => adaptMySocket(raw, handlers), { limits: { rateLimit: { enabled: true } } })
 * conn.events$.subscribe(({ event }) => store(event))
 * ```
 */
export function createResponder(accept: SocketAcceptor, options: ResponderOptions = {}): ResponderConnection {
  return new AcceptedConnection(accept, options)
}

/**
 * Memory matters here: a relay holds one of these per connection, most of them idle (see the
 * responder section of BENCHMARKS.md). So the streams are made on first use, the socket's handlers are
 * one small object, and nothing is kept per connection that a field can replace.
 */
class AcceptedConnection implements ResponderConnection {
  readonly role = 'responder'
  readonly id: string

  readonly #limits: ResponderLimits
  readonly #scheduler: SchedulerLike
  readonly #limiter: RateLimiter
  readonly #metrics: MetricsCollector
  readonly #customLabels: ReadonlySet<string>
  readonly #socket: SocketLike
  readonly #subscriptions = new Set<string>()
  readonly #status = new LatestStream<ConnectionStatus>('connected')
  // Made when first asked for: most connections never send COUNT or AUTH, nor have their errors$ read.
  #errors: HotStream<HoneybeeError> | undefined
  #messages: HotStream<string> | undefined
  #reqs: HotStream<InboundRequest> | undefined
  #closes: HotStream<string> | undefined
  #events: HotStream<InboundEvent> | undefined
  #auths: HotStream<InboundEvent> | undefined
  #counts: HotStream<InboundRequest> | undefined
  #health: Subscription | undefined
  #closeTimer: Subscription | undefined
  #closeInfo: CloseInfo | undefined
  #lastAliveAt: number
  #pingSentAt = 0

  constructor(accept: SocketAcceptor, options: ResponderOptions) {
    this.id = options.id ?? randomId()
    this.#limits = resolveResponderLimits(options.limits)
    this.#scheduler = options.scheduler ?? asyncScheduler
    const parts = options.components ?? {}
    const { rateLimit } = this.#limits
    this.#limiter =
      parts.rateLimiter ?? (rateLimit.enabled ? createTokenBucket(rateLimit, this.#scheduler) : unlimited)
    this.#metrics = parts.metrics ?? createMetrics(this.#scheduler)
    const labels = options.customLabels
    this.#customLabels = labels === undefined || labels.length === 0 ? NO_LABELS : new Set(labels)
    this.#lastAliveAt = this.#scheduler.now()
    this.#metrics.markConnected()
    this.#socket = accept(new AcceptedConnection.#SocketEvents(this))
    // A responder cannot probe at the application level (it must not send REQ): ping frames or nothing.
    // By default, one timer for the pings of every responder on the same clock with the same health config.
    const monitor =
      parts.healthMonitor ??
      (this.#socket.ping === undefined
        ? undefined
        : sharedHeartbeat({ ...DEFAULT_CONFIG.health, ...options.health }, this.#scheduler))
    if (monitor !== undefined && this.#status.value === 'connected') {
      this.#health = monitor.watch(() => this.#lastAliveAt).subscribe((s) => this.#onHealth(s))
    }
  }

  /** What the socket reports, for one connection: one object with a reference back, not four closures. */
  static readonly #SocketEvents = class implements SocketHandlers {
    readonly #conn: AcceptedConnection
    constructor(conn: AcceptedConnection) {
      this.#conn = conn
    }
    onOpen(): void {} // accepted sockets are open already
    onMessage(data: string, byteLength: number): void {
      this.#conn.#received(data, byteLength)
    }
    onPong(): void {
      this.#conn.#ponged()
    }
    onClose(info: CloseInfo): void {
      this.#conn.#socketClosed(info)
    }
  }

  // ── streams ──────────────────────────────────────────────────────────────────────────────────

  get status$(): Observable<ConnectionStatus> {
    return this.#status
  }

  get errors$(): Observable<HoneybeeError> {
    this.#errors ??= this.#stream()
    return this.#errors
  }

  get messages$(): Observable<string> {
    this.#messages ??= this.#stream()
    return this.#messages
  }

  get reqs$(): Observable<InboundRequest> {
    this.#reqs ??= this.#stream()
    return this.#reqs
  }

  get closes$(): Observable<string> {
    this.#closes ??= this.#stream()
    return this.#closes
  }

  get events$(): Observable<InboundEvent> {
    this.#events ??= this.#stream()
    return this.#events
  }

  get auths$(): Observable<InboundEvent> {
    this.#auths ??= this.#stream()
    return this.#auths
  }

  get counts$(): Observable<InboundRequest> {
    this.#counts ??= this.#stream()
    return this.#counts
  }

  /** A new stream: complete already when the connection is closed, like the ones made before. */
  #stream<T>(): HotStream<T> {
    const stream = new HotStream<T>()
    if (this.#status.value === 'closed') stream.end()
    return stream
  }

  get status(): ConnectionStatus {
    return this.#status.value
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo
  }

  get subscriptions(): ReadonlySet<string> {
    return this.#subscriptions
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount
  }

  metrics(): MetricsSnapshot {
    return this.#metrics.snapshot()
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────────

  sendEvent(subId: string, eventJson: string): boolean {
    return this.#subscriptions.has(subId) && this.#write(encloseSubscriptionEvent(subId, eventJson))
  }

  sendEOSE(subId: string): boolean {
    return this.#subscriptions.has(subId) && this.#write(encloseEOSE(subId))
  }

  sendOK(eventId: string, accepted: boolean, message: string): boolean {
    return this.#write(encloseOK(eventId, accepted, message))
  }

  sendNotice(message: string): boolean {
    return this.#write(encloseNotice(message))
  }

  sendClosed(subId: string, message: string): boolean {
    this.#subscriptions.delete(subId)
    return this.#write(encloseClosed(subId, message))
  }

  sendAuthChallenge(challenge: string): boolean {
    return this.#write(encloseAuthChallenge(challenge))
  }

  sendCount(subId: string, count: number, approximate = false): boolean {
    return this.#write(encloseCountResult(subId, count, approximate))
  }

  /** Hands `envelope` to the socket; terminates a peer that has stopped reading. */
  #write(envelope: string): boolean {
    if (this.#status.value !== 'connected' || !this.#socket.send(envelope)) return false
    this.#metrics.recordSent(envelope.length)
    const buffered = this.#socket.bufferedAmount
    const max = this.#limits.maxBufferedBytes
    if (buffered <= max) return true
    this.#report(
      new ConnectionError(
        'SlowConsumer',
        `peer ${this.id} is not reading: ${buffered} bytes buffered (maxBufferedBytes ${max}); terminated`,
      ),
    )
    this.terminate()
    return false
  }

  // ── closing ──────────────────────────────────────────────────────────────────────────────────

  close(code: number = CloseCode.Normal, reason = ''): void {
    if (!isSendableCloseCode(code)) {
      throw new UsageError('InvalidArgument', `close code ${code} may not be sent in a close frame`)
    }
    if (this.#status.value !== 'connected') return
    this.#socket.close(code, truncateUtf8(reason, 123))
    this.#closeTimer = this.#scheduler.schedule(() => {
      this.#socket.terminate()
      this.#finish({ code: CloseCode.Abnormal, reason: '' })
    }, this.#limits.closeTimeout)
    // Announced last: a status$ observer may call terminate(), which must find the timer to cancel.
    this.#setStatus('closing')
  }

  terminate(): void {
    if (this.#status.value === 'closed') return
    this.#socket.terminate()
    this.#finish({ code: CloseCode.Abnormal, reason: '' })
  }

  #socketClosed(info: CloseInfo): void {
    if (this.#status.value === 'closed') return
    // A clean close (either side's) is no error; one the environment raised an error for is reported.
    if (info.error !== undefined) this.#report(closeError(info, true))
    this.#finish(info)
  }

  #finish(info: CloseInfo): void {
    if (this.#status.value === 'closed') return
    this.#closeInfo = info
    this.#health?.unsubscribe()
    this.#closeTimer?.unsubscribe()
    this.#subscriptions.clear()
    this.#metrics.markDisconnected()
    this.#setStatus('closed')
    for (const stream of [this.#messages, this.#reqs, this.#closes, this.#events, this.#auths, this.#counts])
      stream?.end()
    this.#errors?.end()
    this.#status.end()
  }

  // ── receiving ────────────────────────────────────────────────────────────────────────────────

  #received(data: string, byteLength: number): void {
    if (this.#status.value !== 'connected') return
    const now = this.#scheduler.now()
    this.#lastAliveAt = now
    this.#metrics.recordReceived(byteLength, now)
    // Every message takes a token, whatever becomes of it: a flood of bad messages is still a flood.
    const allowed = this.#limiter.allow()
    const { maxMessageSize, rateLimit } = this.#limits
    if (byteLength > maxMessageSize) {
      const reason = `invalid: message too large (${byteLength} > ${maxMessageSize} bytes)`
      this.#refuse(data, 'EnvelopeTooLarge', reason)
      return
    }
    this.#messages?.emit(data)
    if (this.#status.value !== 'connected') return // an observer closed the connection
    if (!allowed) {
      const reason = `rate-limited: more than ${rateLimit.messagesPerSecond} messages per second`
      this.#refuse(data, 'RateLimitExceeded', reason)
      return
    }
    let message: InboundMessage
    try {
      message = readInbound(data)
    } catch (error) {
      if (!(error instanceof RootsError)) throw error
      this.#refuse(data, 'MalformedEnvelope', `invalid: ${error.message}`, error)
      return
    }
    this.#dispatch(message, data)
  }

  #dispatch(message: InboundMessage, envelope: string): void {
    switch (message.type) {
      case 'EVENT':
        this.#events?.emit(Object.freeze({ id: peekEventId(message.event), event: message.event }))
        return
      case 'AUTH':
        this.#auths?.emit(Object.freeze({ id: peekEventId(message.event), event: message.event }))
        return
      case 'CLOSE':
        if (this.#subscriptions.delete(message.subId)) this.#closes?.emit(message.subId)
        return
      case 'REQ':
      case 'COUNT': {
        const { subId, filters } = message
        const max = this.#limits.maxSubIdLength
        if (subId.length === 0 || subId.length > max) {
          this.#refuse(
            envelope,
            'MalformedEnvelope',
            `invalid: subscription id must be 1 to ${max} characters`,
          )
          return
        }
        const request = Object.freeze({ subId, filters: Object.freeze(filters) })
        if (message.type === 'COUNT') this.#counts?.emit(request)
        else this.#subscribe(request, envelope)
        return
      }
      default: {
        if (this.#customLabels.has(message.label)) return
        const label = JSON.stringify(message.label.slice(0, 64))
        this.#refuse(envelope, 'UnknownEnvelopeType', `invalid: unknown message type ${label}`)
      }
    }
  }

  #subscribe(request: InboundRequest, envelope: string): void {
    const max = this.#limits.maxSubscriptions
    if (!this.#subscriptions.has(request.subId) && this.#subscriptions.size >= max) {
      // Never evict an older subscription to make room: the peer decides which to close.
      this.#refuse(envelope, 'TooManySubscriptions', `restricted: too many subscriptions (max ${max})`)
      return
    }
    this.#subscriptions.add(request.subId)
    this.#reqs?.emit(request)
  }

  /**
   * Reports bad input, then answers it per NIP-01, by name when that can be read cheaply: OK for an
   * EVENT or AUTH, CLOSED for a REQ or COUNT, NOTICE otherwise.
   */
  #refuse(envelope: string, code: ProtocolErrorCode, reason: string, cause?: unknown): void {
    this.#report(new ProtocolError(code, `refused a message from ${this.id}: ${reason}`, { cause }))
    const target = peekReplyTarget(envelope)
    if (target?.type === 'OK') {
      this.sendOK(target.eventId, false, reason)
    } else if (target?.type === 'CLOSED') {
      // A refused REQ that reused a live id ends that subscription too: CLOSED tells the peer so.
      if (target.label === 'REQ' && this.#subscriptions.delete(target.subId)) this.#closes?.emit(target.subId)
      this.sendClosed(target.subId, reason)
    } else {
      this.sendNotice(reason)
    }
  }

  // ── health ───────────────────────────────────────────────────────────────────────────────────

  #ponged(): void {
    const now = this.#scheduler.now()
    this.#lastAliveAt = now
    this.#metrics.recordPongLatency(now - this.#pingSentAt)
  }

  #onHealth(signal: HealthSignal): void {
    if (signal.type === 'ping') {
      this.#pingSentAt = this.#scheduler.now()
      this.#socket.ping?.()
    } else if (signal.type === 'missed') {
      this.#report(new ConnectionError('PongTimeout', `peer ${this.id} missed ${signal.missed} pong(s)`))
    } else {
      this.#report(
        new ConnectionError(
          'ConnectionUnhealthy',
          `peer ${this.id} missed ${signal.missed} pongs; terminated`,
        ),
      )
      this.terminate()
    }
  }

  #setStatus(next: ConnectionStatus): void {
    const current = this.#status.value
    if (current === next) return
    // A bug in this file, not in the caller's code or the peer's behaviour.
    if (!canTransition(current, next))
      throw new Error(`honeybee: illegal status transition ${current} → ${next}`)
    this.#status.emit(next)
  }

  #report(error: HoneybeeError): void {
    this.#metrics.recordError()
    this.#errors?.emit(error)
  }
}
