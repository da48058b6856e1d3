/**
 * @module A connection that dials a relay and keeps itself connected (spec honeybee §1–8).
 *
 * Construction has no side effects. The socket opens when the first subscriber arrives on any stream
 * (or on the first `send`), is shared by all of them, and closes `keepAlive` ms after the last one
 * leaves. A lost connection is redialled with backoff; held writes go out in order, exactly once, when
 * it is back. `close()` only releases resources early.
 *
 * @example
 * ```ts
 * import { connect } from 'honeybee-node'
 * const conn = connect('ws://127.0.0.1:7777')
 * conn.status$.subscribe((status) => console.log(status)) // 'disconnected', 'connecting', 'connected'
 * conn.events$.subscribe((env) => console.log(findSubscriptionEvent(env).event))
 * conn.send(encloseReq('feed', ['{"kinds":[1]}']))
 * ```
 */

import type { ConnectionStatus } from 'roots-ws'
import {
  asyncScheduler,
  BehaviorSubject,
  merge,
  Observable,
  ReplaySubject,
  type SchedulerLike,
  Subject,
  type Subscription,
  share,
  takeUntil,
  timer,
} from 'rxjs'
import { closeError } from './close-codes.js'
import { type ConnectionConfig, resolveConfig } from './config.js'
import type { Connection, ConnectionHooks, ConnectionOptions, FrameFilter } from './connection-api.js'
import { ConnectionError, type HoneybeeError, ProtocolError, UsageError } from './errors.js'
import { createHeartbeat, type HealthMonitor, type HealthSignal } from './heartbeat.js'
import { createMetrics, type MetricsCollector, type MetricsSnapshot, metricsStream } from './metrics.js'
import { createTokenBucket, type RateLimiter, unlimited } from './rate-limiter.js'
import { exponentialBackoff, type ReconnectPolicy } from './reconnect.js'
import { createRouter } from './router.js'
import type { CloseInfo, SocketFactory, SocketHandlers, SocketLike } from './socket.js'
import { exceedsUtf8, utf8Length } from './utf8-length.js'
import { createWriteQueue, type WriteQueue } from './write-queue.js'

export {
  type Connection,
  type ConnectionComponents,
  type ConnectionHooks,
  type ConnectionOptions,
  FRAME_HEAD_LENGTH,
  type FrameFilter,
} from './connection-api.js'

/**
 * How often a connection whose socket is over its high-water mark looks again, in ms, unless the
 * socket reports sooner that it drained (`SocketHandlers.onDrain`).
 */
const BACK_PRESSURE_POLL = 10

/**
 * Creates a connection to `url`. Nothing happens until something subscribes or sends.
 * Environment packages wrap this as `connect(url, options)` with their socket factory bound.
 */
export function createConnection(url: string, options: ConnectionOptions): Connection {
  return new DialingConnection(url, options)
}

class DialingConnection implements Connection {
  readonly role = 'initiator'
  // Declared, not defined: assigned once in the constructor (the router's streams by Object.assign), so
  // the class needs no field definitions.
  declare readonly url: string
  declare readonly config: ConnectionConfig
  declare readonly hooks: ConnectionHooks
  declare readonly scheduler: SchedulerLike
  declare readonly status$: Observable<ConnectionStatus>
  declare readonly messages$: Observable<string>
  declare readonly errors$: Observable<HoneybeeError>
  declare readonly metrics$: Observable<MetricsSnapshot>
  declare readonly events$: Observable<string>
  declare readonly eose$: Observable<string>
  declare readonly ok$: Observable<string>
  declare readonly notice$: Observable<string>
  declare readonly closed$: Observable<string>
  declare readonly auth$: Observable<string>
  declare readonly label$: (label: string) => Observable<string>

  readonly #config: ConnectionConfig
  readonly #scheduler: SchedulerLike
  readonly #openSocket: SocketFactory
  readonly #policy: ReconnectPolicy
  readonly #health: HealthMonitor
  readonly #limiter: RateLimiter
  readonly #queue: WriteQueue
  readonly #metrics: MetricsCollector
  readonly #hooks = new Set<() => void>()
  readonly #network$: Observable<'online' | 'offline'> | undefined

  readonly #status = new BehaviorSubject<ConnectionStatus>('disconnected')
  readonly #messages = new Subject<string>()
  readonly #errors = new Subject<HoneybeeError>()
  /** Emits, then completes, on close(): a keepAlive timer still pending dies, then every activation ends. */
  readonly #closing = new ReplaySubject<void>(1)
  readonly #activation: Observable<never>

  #socket: SocketLike | undefined
  /** Bumped for every socket; events from an older socket are ignored. */
  #generation = 0
  /** Failed attempts since the connection was last stable. */
  #attempt = 0
  #everConnected = false
  #wanted = false
  #closed = false
  /** The environment said the network is gone (see `network$`). */
  #offline = false
  /** Envelopes sent by reconnect hooks skip the queue. */
  #restoring = false
  #lastAliveAt = 0
  #lastMessageAt: number | undefined
  /** The clock reading of the frame the filter just kept, for #received to use. */
  #keptAt: number | undefined
  /** Subscribers of `messages$` itself (the router's own subscription is not one). */
  #watchers = 0
  #eventWatchers: () => number
  #frameFilter: FrameFilter | undefined
  #pingSentAt = 0
  /** Timers that belong to the current socket or backoff; cancelled together. */
  #timers: Subscription[] = []
  #flushTimer: Subscription | undefined
  /** Keeps the connection active while writes are held and nobody subscribes. */
  #writeHold: Subscription | undefined

  constructor(url: string, options: ConnectionOptions) {
    this.url = url
    this.#config = resolveConfig(options, options.profile)
    const config = this.#config
    this.config = config
    this.hooks = options.hooks ?? {}
    this.#scheduler = options.scheduler ?? asyncScheduler
    this.scheduler = this.#scheduler
    this.#openSocket = options.socketFactory
    const parts = options.components ?? {}
    this.#policy = parts.reconnectPolicy ?? exponentialBackoff(config.reconnect)
    this.#health = parts.healthMonitor ?? createHeartbeat(config.health, this.#scheduler)
    this.#limiter =
      parts.rateLimiter ??
      (config.rateLimit.enabled ? createTokenBucket(config.rateLimit, this.#scheduler) : unlimited)
    this.#queue = parts.writeQueue ?? createWriteQueue(config.writeQueue)
    this.#metrics = parts.metrics ?? createMetrics(this.#scheduler)
    this.#network$ = options.network$

    // The first subscriber to any stream activates; keepAlive ms after the last leaves, it deactivates.
    this.#activation = new Observable<never>((subscriber) => {
      const ended = this.#closing.subscribe({ complete: () => subscriber.complete() })
      if (!this.#closed) this.#activate()
      ended.add(this.#network$?.subscribe((state) => this.#onNetwork(state)))
      return () => {
        ended.unsubscribe()
        this.#offline = false
        this.#deactivate()
      }
    }).pipe(
      share({
        resetOnRefCountZero:
          config.keepAlive > 0
            ? () => timer(config.keepAlive, this.#scheduler).pipe(takeUntil(this.#closing))
            : true,
      }),
    )
    // The source first, so status$ replays the status from before activation (`disconnected`) too.
    const activating = <T>(source: Observable<T>): Observable<T> => merge(source, this.#activation)

    // No distinctUntilChanged needed: #setState never emits the status it is in.
    this.status$ = activating(this.#status)
    const frames$ = activating(this.#messages)
    // Counted, so that frames are dropped unread (setFrameFilter) only while nobody watches them here.
    this.messages$ = new Observable<string>((subscriber) => {
      this.#watchers++
      const subscription = frames$.subscribe(subscriber)
      return () => {
        this.#watchers--
        subscription.unsubscribe()
      }
    })
    this.errors$ = activating(this.#errors)
    this.metrics$ = activating(metricsStream(this.#metrics, config.metricsInterval, this.#scheduler))
    // events$, eose$, ok$, notice$, closed$, auth$ and label$.
    const { subscriberCount, ...streams } = createRouter(frames$, {
      customLabels: config.customLabels,
      report: (e) => this.#report(e),
    })
    Object.assign(this, streams)
    this.#eventWatchers = () => subscriberCount('EVENT')
  }

  get status(): ConnectionStatus {
    return this.#status.value
  }

  get lastMessageAt(): number | undefined {
    return this.#lastMessageAt
  }

  get bufferedAmount(): number {
    return this.#queue.bytes + (this.#socket?.bufferedAmount ?? 0)
  }

  metrics(): MetricsSnapshot {
    return this.#metrics.snapshot()
  }

  report(error: HoneybeeError): void {
    this.#report(error)
  }

  setFrameFilter(filter: FrameFilter): () => void {
    this.#frameFilter = filter
    return () => {
      if (this.#frameFilter === filter) this.#frameFilter = undefined
    }
  }

  onReconnect(hook: () => void): () => void {
    const own = (): void => hook() // a new function, so adding the same hook twice registers twice
    this.#hooks.add(own)
    return () => {
      this.#hooks.delete(own)
    }
  }

  send(envelope: string): boolean {
    if (this.#closed)
      throw new UsageError('InvalidState', `cannot send on a closed connection to ${this.url}`)
    if (exceedsUtf8(envelope, this.#config.maxMessageSize)) {
      throw new UsageError(
        'EnvelopeTooLarge',
        `envelope of ${utf8Length(envelope)} bytes exceeds maxMessageSize ${this.#config.maxMessageSize}`,
      )
    }
    if (this.#status.value === 'error') this.#activate() // new writes revive a connection that gave up
    const socket = this.#socket
    if (this.#restoring && socket?.send(envelope)) {
      this.#metrics.recordSent(envelope.length)
      return true
    }
    if (this.#queue.length === 0 && this.#canWrite(socket) && this.#limiter.allow()) {
      if (socket.send(envelope)) {
        this.#metrics.recordSent(envelope.length)
        return true
      }
    }
    this.#queue.push(envelope)
    if (this.#status.value === 'connected') this.#scheduleFlush(0)
    else this.#holdForWrites()
    return false
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#wanted = false
    this.#cancelTimers()
    this.#releaseWriteHold()
    const socket = this.#socket
    if (socket !== undefined && this.#status.value === 'connected') {
      // Graceful: what is held goes out first, then the close handshake, bounded by closeTimeout.
      this.#flush(true)
      this.#setState('closing')
      socket.close(1000, 'closed by client')
      this.#after(this.#config.closeTimeout, () => this.#finishClose())
      return
    }
    this.#finishClose()
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────

  #activate(): void {
    this.#wanted = true
    const status = this.#status.value
    if (status === 'disconnected' || status === 'error') {
      this.#attempt = 0
      this.#dial()
    }
  }

  /** Offline: a pending retry waits for the network. Online: whatever waits to redial dials now. */
  #onNetwork(state: 'online' | 'offline'): void {
    this.#offline = state === 'offline'
    const status = this.#status.value
    if (this.#offline && status === 'backoff') {
      this.#cancelTimers()
      this.#setState('awaiting')
    } else if (!this.#offline && (status === 'backoff' || status === 'awaiting')) this.#dial()
    else if (!this.#offline && status === 'error') this.#activate()
  }

  #deactivate(): void {
    this.#wanted = false
    if (this.#closed) return
    this.#cancelTimers()
    const socket = this.#socket
    if (socket !== undefined && this.#status.value === 'connected') {
      this.#setState('closing')
      socket.close(1000, 'no subscribers')
      this.#after(this.#config.closeTimeout, () => this.#closedForIdle())
      return
    }
    this.#dropSocket('disconnected')
  }

  /** The idle close finished; a subscriber who arrived meanwhile gets a new socket. */
  #closedForIdle(): void {
    this.#dropSocket('disconnected')
    if (this.#wanted) this.#activate()
  }

  #dial(): void {
    this.#cancelTimers()
    const generation = ++this.#generation
    const handlers: SocketHandlers = {
      onOpen: () => generation === this.#generation && this.#opened(),
      onMessage: (data, byteLength) => generation === this.#generation && this.#received(data, byteLength),
      skipsFrames: () => generation === this.#generation && this.#skipsFrames(),
      skipFrame: (head, byteLength) => generation === this.#generation && this.#skipped(head, byteLength),
      onPong: () => generation === this.#generation && this.#ponged(),
      // Held writes go out now rather than at the next back-pressure look (bench/pool.bench.ts W3).
      onDrain: () => generation === this.#generation && this.#flushTimer !== undefined && this.#flush(false),
      onClose: (info) => generation === this.#generation && this.#socketClosed(info),
    }
    this.#socket = this.#openSocket(this.url, handlers)
    const timeout = this.#config.connectTimeout
    this.#after(timeout, () =>
      this.#lost(
        new ConnectionError('ConnectionTimeout', `no connection to ${this.url} within ${timeout} ms`),
      ),
    )
    // Announced last: a status$ observer may call close(), which must find the socket and timer to release.
    this.#setState('connecting')
  }

  #opened(): void {
    this.#cancelTimers()
    this.#lastAliveAt = this.#scheduler.now()
    this.#metrics.markConnected()
    this.#setState('connected')
    if (this.#status.value !== 'connected') return // an observer closed it
    // The attempt counter resets only once the connection proves stable.
    this.#after(this.#config.reconnect.stableAfter, () => (this.#attempt = 0))
    this.#timers.push(
      this.#health.watch(() => this.#lastAliveAt).subscribe((signal) => this.#onHealth(signal)),
    )
    if (this.#everConnected) {
      this.#metrics.recordReconnection()
      this.#restoring = true
      try {
        for (const hook of this.#hooks) hook()
      } finally {
        this.#restoring = false
      }
    }
    this.#everConnected = true
    this.#flush(false)
  }

  #received(data: string, byteLength: number): void {
    // One clock reading for liveness, metrics and the layers above (lastMessageAt) alike; a frame the
    // filter looked at and kept (#skipped) was read already.
    const now = this.#keptAt ?? this.#scheduler.now()
    this.#keptAt = undefined
    this.#lastMessageAt = now
    this.#lastAliveAt = now
    this.#metrics.recordReceived(byteLength, now)
    if (byteLength > this.#config.maxMessageSize) {
      this.#report(
        new ProtocolError(
          'EnvelopeTooLarge',
          `dropped an incoming envelope of ${byteLength} bytes (maxMessageSize ${this.#config.maxMessageSize})`,
        ),
      )
      return
    }
    this.#messages.next(data)
  }

  /** Whether the frame filter wants frames: it is set and active, and nothing else watches them. */
  #skipsFrames(): boolean {
    return this.#frameFilter?.active() === true && this.#watchers === 0 && this.#eventWatchers() <= 1
  }

  /** Whether the frame filter dropped a frame unread; counted and proving liveness like any message. */
  #skipped(head: string, byteLength: number): boolean {
    const filter = this.#frameFilter
    if (filter === undefined || byteLength > this.#config.maxMessageSize) return false
    const now = this.#scheduler.now()
    this.#lastMessageAt = now
    if (!filter.drop(head)) {
      this.#keptAt = now // onMessage follows at once, for this frame
      return false
    }
    this.#lastAliveAt = now
    this.#metrics.recordReceived(byteLength, now)
    return true
  }

  #ponged(): void {
    const now = this.#scheduler.now()
    this.#lastAliveAt = now
    this.#metrics.recordPongLatency(now - this.#pingSentAt)
  }

  #onHealth(signal: HealthSignal): void {
    if (signal.type === 'ping') {
      this.#pingSentAt = this.#scheduler.now()
      this.#socket?.ping?.()
    } else if (signal.type === 'missed') {
      this.#report(new ConnectionError('PongTimeout', `${this.url} missed ${signal.missed} pong(s) in a row`))
    } else {
      this.#lost(
        new ConnectionError(
          'ConnectionUnhealthy',
          `${this.url} missed ${signal.missed} pongs in a row; reconnecting`,
        ),
      )
    }
  }

  #socketClosed(info: CloseInfo): void {
    const status = this.#status.value
    if (status === 'closing') {
      if (this.#closed) this.#finishClose()
      else this.#closedForIdle()
      return
    }
    this.#lost(closeError(info, status === 'connected'))
  }

  /** The socket failed or was lost: terminate it at once (never wait on a silent peer) and redial. */
  #lost(error: ConnectionError): void {
    this.#report(error)
    if (this.#closed) return // an errors$ observer closed the connection
    if (this.#status.value === 'connected') this.#metrics.markDisconnected()
    this.#dropSocket(undefined)
    if (!this.#wanted) {
      this.#setState('disconnected')
      return
    }
    if (this.#offline) {
      this.#setState('awaiting') // no attempt used: `online` dials again
      return
    }
    this.#attempt++
    const delay = this.#policy.nextDelay(this.#attempt, error)
    if (delay === undefined) {
      if (error.retriable && this.#config.reconnect.enabled) {
        this.#report(
          new ConnectionError(
            'MaxReconnectAttemptsExceeded',
            `gave up on ${this.url} after ${this.#attempt - 1} retries`,
            {
              cause: error,
              retriable: false,
            },
          ),
        )
      }
      this.#setState('error')
      return
    }
    this.#after(delay, () => this.#dial())
    this.#setState('backoff') // last: an observer may call close(), which cancels the timer above
  }

  /** Forgets the current socket (terminating it) and its timers; optionally moves to `status`. */
  #dropSocket(status: ConnectionStatus | undefined): void {
    this.#cancelTimers()
    this.#generation++
    const socket = this.#socket
    this.#socket = undefined
    socket?.terminate()
    if (status !== undefined && this.#status.value !== status) {
      if (this.#status.value === 'connected') this.#metrics.markDisconnected()
      this.#setState(status)
    }
  }

  #finishClose(): void {
    this.#dropSocket(undefined)
    this.#flushTimer?.unsubscribe()
    const discarded = this.#queue.clear().length
    if (discarded > 0) {
      this.#report(
        new ConnectionError('ConnectionClosed', `closed with ${discarded} unsent envelope(s) discarded`),
      )
    }
    this.#setState('closed')
    this.#closing.next()
    this.#closing.complete()
    this.#status.complete()
    this.#messages.complete()
    this.#errors.complete()
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────

  #canWrite(socket: SocketLike | undefined): socket is SocketLike {
    return (
      socket !== undefined &&
      this.#status.value === 'connected' &&
      socket.bufferedAmount < this.#config.writeQueue.highWaterMark
    )
  }

  /** Hands held writes to the socket in order while it accepts them; `force` ignores pacing (close). */
  #flush(force: boolean): void {
    this.#flushTimer?.unsubscribe()
    this.#flushTimer = undefined
    const socket = this.#socket
    for (let envelope = this.#queue.peek(); envelope !== undefined; envelope = this.#queue.peek()) {
      if (!force) {
        if (!this.#canWrite(socket)) {
          if (this.#status.value === 'connected') this.#scheduleFlush(BACK_PRESSURE_POLL)
          return
        }
        if (!this.#limiter.allow()) {
          this.#scheduleFlush(Math.max(1, this.#limiter.delay()))
          return
        }
      }
      if (socket === undefined || !socket.send(envelope)) return
      this.#queue.shift()
      this.#metrics.recordSent(envelope.length)
    }
    this.#releaseWriteHold()
  }

  #scheduleFlush(delay: number): void {
    if (this.#flushTimer !== undefined) return
    this.#flushTimer = this.#scheduler.schedule(() => {
      this.#flushTimer = undefined
      this.#flush(false)
    }, delay)
  }

  #holdForWrites(): void {
    if (this.#writeHold === undefined && !this.#closed) this.#writeHold = this.#activation.subscribe()
  }

  #releaseWriteHold(): void {
    const hold = this.#writeHold
    this.#writeHold = undefined
    hold?.unsubscribe()
  }

  // ── state ────────────────────────────────────────────────────────────────────────────────────

  #setState(next: ConnectionStatus): void {
    const current = this.#status.value
    if (current === next || current === 'closed') return // closed is final; late moves are moot
    // Every move made here is one `canTransition` allows: connection.test.ts checks each one it sees,
    // so that pages do not carry the table.
    this.#status.next(next)
  }

  #report(error: HoneybeeError): void {
    this.#metrics.recordError()
    this.#errors.next(error)
  }

  /** Runs `work` in `delay` ms, unless #cancelTimers comes first. */
  #after(delay: number, work: () => void): void {
    this.#timers.push(this.#scheduler.schedule(work, delay))
  }

  #cancelTimers(): void {
    for (const timer of this.#timers) timer.unsubscribe()
    this.#timers = []
  }
}
