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
  const bucketMs = window / BUCKETS_PER_WINDOW
  // The window [now - window, now] touches at most BUCKETS_PER_WINDOW + 1 buckets.
  const slots = BUCKETS_PER_WINDOW + 1
  /**
   * The ring, in one array made at the first message: at [0, slots) the absolute bucket number
   * (floor(time / bucketMs)) each slot currently counts, NaN when unused; at IN + slot and OUT + slot the
   * messages received and sent in it. One array rather than three, made when first needed: a relay
   * holds a collector per connection, and most of its 10,000 idle connections never send a message
   * (three typed arrays and their buffers were about 800 bytes each; bench/responder.bench.ts).
   */
  let ring: Float64Array | undefined
  const IN = slots
  const OUT = 2 * slots
  const buckets = (): Float64Array => {
    if (ring === undefined) {
      ring = new Float64Array(3 * slots)
      ring.fill(Number.NaN, 0, slots)
    }
    return ring
  }

  let messagesSent = 0
  let messagesReceived = 0
  let bytesSent = 0
  let bytesReceived = 0
  let errors = 0
  let reconnections = 0
  let lastMessageSentAt: number | undefined
  let lastMessageReceivedAt: number | undefined
  let connectedSince: number | undefined
  let lastPongLatency: number | undefined

  // The last time slotAt was asked about, and its answer. Messages arrive in bursts that share a
  // millisecond, so most calls can skip the division and the two float modulos (fmod, slow in V8) of
  // the full path; measured in bench/honeybee.bench.ts, see BENCHMARKS.md.
  let lastNow = Number.NaN
  let lastId = Number.NaN
  let lastSlot = 0

  /** The slot counting time `now`, emptied first if it still holds an older bucket. */
  function slotAt(ring: Float64Array, now: number): number {
    // Same time, and the slot still counts the same bucket (reset() or a clock that went back may
    // have reused it): the answer is the last one.
    if (now === lastNow && ring[lastSlot] === lastId) return lastSlot
    const id = Math.floor(now / bucketMs)
    const slot = ((id % slots) + slots) % slots
    if (ring[slot] !== id) {
      ring[slot] = id
      ring[IN + slot] = 0
      ring[OUT + slot] = 0
    }
    lastNow = now
    lastId = id
    lastSlot = slot
    return slot
  }

  /**
   * Messages per second over [now - window, now]. The oldest bucket straddles the window's start; it
   * counts in proportion to its overlap, as if its messages were spread evenly over it.
   */
  function rate(counts: number, now: number): number {
    if (ring === undefined) return 0
    const start = now - window
    const first = Math.floor(start / bucketMs)
    const last = Math.floor(now / bucketMs)
    let total = 0
    for (let id = first; id <= last; id++) {
      const slot = ((id % slots) + slots) % slots
      if (ring[slot] !== id) continue
      const weight = id === first ? ((first + 1) * bucketMs - start) / bucketMs : 1
      total += ring[counts + slot]! * weight
    }
    return total / (window / 1000)
  }

  function received(bytes: number, now: number): void {
    messagesReceived++
    bytesReceived += bytes
    lastMessageReceivedAt = now
    const counts = buckets()
    counts[IN + slotAt(counts, now)]!++
  }

  const collector: MetricsCollector = {
    recordSent(bytes: number): void {
      const now = scheduler.now()
      messagesSent++
      bytesSent += bytes
      lastMessageSentAt = now
      const counts = buckets()
      counts[OUT + slotAt(counts, now)]!++
    },

    recordReceived(bytes: number, at?: number): void {
      received(bytes, at ?? scheduler.now())
    },

    recordError(): void {
      errors++
    },

    recordReconnection(): void {
      reconnections++
    },

    recordPongLatency(ms: number): void {
      lastPongLatency = ms
    },

    markConnected(): void {
      connectedSince ??= scheduler.now()
    },

    markDisconnected(): void {
      connectedSince = undefined
    },

    snapshot(): MetricsSnapshot {
      const now = scheduler.now()
      return Object.freeze({
        messagesSent,
        messagesReceived,
        bytesSent,
        bytesReceived,
        errors,
        reconnections,
        lastMessageSentAt,
        lastMessageReceivedAt,
        connectedSince,
        uptime: connectedSince === undefined ? 0 : Math.max(0, now - connectedSince),
        messagesPerSecondIn: rate(IN, now),
        messagesPerSecondOut: rate(OUT, now),
        lastPongLatency,
      })
    },

    reset(resetStartTime = false): void {
      messagesSent = 0
      messagesReceived = 0
      bytesSent = 0
      bytesReceived = 0
      errors = 0
      ring?.fill(Number.NaN, 0, slots)
      if (resetStartTime) {
        lastMessageSentAt = undefined
        lastMessageReceivedAt = undefined
        if (connectedSince !== undefined) connectedSince = scheduler.now()
      }
    },
  }
  return Object.freeze(collector)
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
