/**
 * @module Connection metrics (spec honeybee §6): counters, timestamps, message rates and uptime, read
 * as immutable snapshots.
 *
 * The `record*` methods sit on the path of every message (the target is 200,000 messages a second), so
 * each is O(1) and allocates nothing: totals are plain numbers, and rates come from a small fixed ring
 * of time buckets (typed arrays allocated once), not from a list of timestamps. All the work of
 * turning buckets into rates happens in {@link MetricsCollector.snapshot}, which is called a few times a
 * second at most. Time is `scheduler.now()` in ms.
 */
import {
  asyncScheduler,
  interval as every,
  map,
  type Observable,
  of,
  type SchedulerLike,
  startWith,
} from 'rxjs'

/** One reading of a connection's metrics; a new frozen object each time. */
export interface MetricsSnapshot {
  /** Messages handed to the socket. */
  readonly messagesSent: number
  /** Messages received from the socket. */
  readonly messagesReceived: number
  /** Bytes of the messages sent. */
  readonly bytesSent: number
  /** Bytes of the messages received. */
  readonly bytesReceived: number
  /** Errors recorded (failed connects, malformed envelopes, …). */
  readonly errors: number
  /** Reconnections; survives {@link MetricsCollector.reset}. */
  readonly reconnections: number
  /** When the last message was sent, as `scheduler.now()` ms; `undefined` before the first. */
  readonly lastMessageSentAt: number | undefined
  /** When the last message was received, as `scheduler.now()` ms; `undefined` before the first. */
  readonly lastMessageReceivedAt: number | undefined
  /** When the current connection opened, as `scheduler.now()` ms; `undefined` while not connected. */
  readonly connectedSince: number | undefined
  /** ms connected in the current connection; 0 when not connected. */
  readonly uptime: number
  /**
   * Messages received per second over the last `rateWindow` ms (so in the first `rateWindow` ms after
   * traffic starts, the rate ramps up towards the true one).
   */
  readonly messagesPerSecondIn: number
  /** Messages sent per second over the last `rateWindow` ms. */
  readonly messagesPerSecondOut: number
  /** ms from the last ping to its pong; `undefined` before the first pong. */
  readonly lastPongLatency: number | undefined
}

/** Collects one connection's metrics; the connection calls the `record*`/`mark*` methods. */
export interface MetricsCollector {
  /** Counts one sent message of `bytes` bytes. O(1), allocation-free. */
  recordSent(bytes: number): void
  /**
   * Counts one received message of `bytes` bytes. O(1), allocation-free.
   * @param at - when it arrived, on the collector's clock, if the caller has read it already (the
   * connection reads it once per message for its liveness too; a reading costs about 80 ns on a VM,
   * see BENCHMARKS.md). @default scheduler.now()
   */
  recordReceived(bytes: number, at?: number): void
  /** Counts one error. */
  recordError(): void
  /** Counts one reconnection. */
  recordReconnection(): void
  /** Records the latest ping-to-pong round trip, in ms. */
  recordPongLatency(ms: number): void
  /** The connection opened now; starts the uptime clock (no-op when already connected). */
  markConnected(): void
  /** The connection is down; uptime is 0 until the next {@link markConnected}. */
  markDisconnected(): void
  /** A new immutable snapshot. */
  snapshot(): MetricsSnapshot
  /**
   * Zeroes the message, byte and error counters and the rates (reconnections and the last pong latency
   * are kept). `resetStartTime` also clears the last-message timestamps and restarts the uptime clock:
   * `connectedSince` becomes now when connected, and stays `undefined` when not.
   * @default resetStartTime false
   */
  reset(resetStartTime?: boolean): void
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * The sliding window of `messagesPerSecondIn`/`Out`, in ms. Values that are not a positive finite
   * number fall back to the default. @default 5000
   */
  readonly rateWindow?: number
}

/** Buckets per rate window: rates slide in steps of a tenth of the window (500 ms by default). */
const BUCKETS_PER_WINDOW = 10
const DEFAULT_RATE_WINDOW = 5_000

/**
 * A collector clocked by `scheduler.now()`.
 *
 * @param scheduler - the clock. @default asyncScheduler
 *
 * @example
 * ```ts
 * const metrics = createMetrics()
 * metrics.markConnected()
 * metrics.recordSent(envelope.length)
 * metrics.snapshot().messagesSent // 1
 * ```
 */
export function createMetrics(
  scheduler: SchedulerLike = asyncScheduler,
  options: MetricsOptions = {},
): MetricsCollector {
  const requested = options.rateWindow
  const window =
    requested !== undefined && requested > 0 && Number.isFinite(requested) ? requested : DEFAULT_RATE_WINDOW
  // Frozen: the methods cannot be replaced. The state is in private fields, which freezing leaves writable.
  return Object.freeze(new Collector(scheduler, window))
}

/** The window [now - window, now] touches at most BUCKETS_PER_WINDOW + 1 buckets. */
const SLOTS = BUCKETS_PER_WINDOW + 1
/** Where the ring keeps the messages received, and sent, per slot. */
const IN = SLOTS
const OUT = 2 * SLOTS

/**
 * One connection's counters. A class, its state in fields and its methods shared on the prototype: a
 * relay holds one per connection (a closure per method was 14 functions and their context each;
 * bench/responder.bench.ts).
 */
class Collector implements MetricsCollector {
  readonly #scheduler: SchedulerLike
  readonly #window: number
  readonly #bucketMs: number
  /**
   * The ring, in one array made at the first message: at [0, SLOTS) the absolute bucket number
   * (floor(time / bucketMs)) each slot currently counts, NaN when unused; at IN + slot and OUT + slot the
   * messages received and sent in it. One array rather than three, made when first needed: most of a
   * relay's 10,000 idle connections never send a message (three typed arrays and their buffers were
   * about 800 bytes each; bench/responder.bench.ts).
   */
  #ring: Float64Array | undefined
  #messagesSent = 0
  #messagesReceived = 0
  #bytesSent = 0
  #bytesReceived = 0
  #errors = 0
  #reconnections = 0
  #lastMessageSentAt: number | undefined
  #lastMessageReceivedAt: number | undefined
  #connectedSince: number | undefined
  #lastPongLatency: number | undefined
  // The last time slotAt was asked about, and its answer. Messages arrive in bursts that share a
  // millisecond, so most calls can skip the division and the two float modulos (fmod, slow in V8) of
  // the full path; measured in bench/honeybee.bench.ts, see BENCHMARKS.md.
  #lastNow = Number.NaN
  #lastId = Number.NaN
  #lastSlot = 0

  constructor(scheduler: SchedulerLike, window: number) {
    this.#scheduler = scheduler
    this.#window = window
    this.#bucketMs = window / BUCKETS_PER_WINDOW
  }

  recordSent(bytes: number): void {
    const now = this.#scheduler.now()
    this.#messagesSent++
    this.#bytesSent += bytes
    this.#lastMessageSentAt = now
    const ring = this.#buckets()
    ring[OUT + this.#slotAt(ring, now)]!++
  }

  recordReceived(bytes: number, at?: number): void {
    const now = at ?? this.#scheduler.now()
    this.#messagesReceived++
    this.#bytesReceived += bytes
    this.#lastMessageReceivedAt = now
    const ring = this.#buckets()
    ring[IN + this.#slotAt(ring, now)]!++
  }

  recordError(): void {
    this.#errors++
  }

  recordReconnection(): void {
    this.#reconnections++
  }

  recordPongLatency(ms: number): void {
    this.#lastPongLatency = ms
  }

  markConnected(): void {
    this.#connectedSince ??= this.#scheduler.now()
  }

  markDisconnected(): void {
    this.#connectedSince = undefined
  }

  snapshot(): MetricsSnapshot {
    const now = this.#scheduler.now()
    const connectedSince = this.#connectedSince
    return Object.freeze({
      messagesSent: this.#messagesSent,
      messagesReceived: this.#messagesReceived,
      bytesSent: this.#bytesSent,
      bytesReceived: this.#bytesReceived,
      errors: this.#errors,
      reconnections: this.#reconnections,
      lastMessageSentAt: this.#lastMessageSentAt,
      lastMessageReceivedAt: this.#lastMessageReceivedAt,
      connectedSince,
      uptime: connectedSince === undefined ? 0 : Math.max(0, now - connectedSince),
      messagesPerSecondIn: this.#rate(IN, now),
      messagesPerSecondOut: this.#rate(OUT, now),
      lastPongLatency: this.#lastPongLatency,
    })
  }

  reset(resetStartTime = false): void {
    this.#messagesSent = 0
    this.#messagesReceived = 0
    this.#bytesSent = 0
    this.#bytesReceived = 0
    this.#errors = 0
    this.#ring?.fill(Number.NaN, 0, SLOTS)
    if (resetStartTime) {
      this.#lastMessageSentAt = undefined
      this.#lastMessageReceivedAt = undefined
      if (this.#connectedSince !== undefined) this.#connectedSince = this.#scheduler.now()
    }
  }

  #buckets(): Float64Array {
    if (this.#ring === undefined) {
      this.#ring = new Float64Array(3 * SLOTS)
      this.#ring.fill(Number.NaN, 0, SLOTS)
    }
    return this.#ring
  }

  /** The slot counting time `now`, emptied first if it still holds an older bucket. */
  #slotAt(ring: Float64Array, now: number): number {
    // Same time, and the slot still counts the same bucket (reset() or a clock that went back may
    // have reused it): the answer is the last one.
    if (now === this.#lastNow && ring[this.#lastSlot] === this.#lastId) return this.#lastSlot
    const id = Math.floor(now / this.#bucketMs)
    const slot = ((id % SLOTS) + SLOTS) % SLOTS
    if (ring[slot] !== id) {
      ring[slot] = id
      ring[IN + slot] = 0
      ring[OUT + slot] = 0
    }
    this.#lastNow = now
    this.#lastId = id
    this.#lastSlot = slot
    return slot
  }

  /**
   * Messages per second over [now - window, now]. The oldest bucket straddles the window's start; it
   * counts in proportion to its overlap, as if its messages were spread evenly over it.
   */
  #rate(counts: number, now: number): number {
    const ring = this.#ring
    if (ring === undefined) return 0
    const bucketMs = this.#bucketMs
    const start = now - this.#window
    const first = Math.floor(start / bucketMs)
    const last = Math.floor(now / bucketMs)
    let total = 0
    for (let id = first; id <= last; id++) {
      const slot = ((id % SLOTS) + SLOTS) % SLOTS
      if (ring[slot] !== id) continue
      const weight = id === first ? ((first + 1) * bucketMs - start) / bucketMs : 1
      total += ring[counts + slot]! * weight
    }
    return total / (this.#window / 1000)
  }
}

/**
 * Emits a snapshot of `collector` every `interval` ms while subscribed (cold), the first one
 * immediately (synchronously, on subscribe). An `interval` below 1 ms is treated as 1 ms; a non-finite
 * one emits the first snapshot and completes.
 *
 * @param scheduler - the timer. @default asyncScheduler
 *
 * @example
 * ```ts
 * metricsStream(metrics, 1_000).subscribe((m) => render(m.messagesPerSecondIn, m.uptime))
 * ```
 */
export function metricsStream(
  collector: MetricsCollector,
  interval: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<MetricsSnapshot> {
  const later = Number.isFinite(interval) ? every(Math.max(1, interval), scheduler) : of<never>()
  return later.pipe(
    // The first tick, on subscribe.
    startWith(0),
    // Read on each tick, not when the stream is built.
    map(() => collector.snapshot()),
  )
}
